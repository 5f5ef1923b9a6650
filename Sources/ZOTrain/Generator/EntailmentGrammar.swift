/// The RTE-like grammar: a premise states who did what to which object, where (and when);
/// the hypothesis restates part of it (entailment) or changes one slot, negates it, or
/// moves it elsewhere (not entailment). Deciding needs comparing the two sentences slot by
/// slot — copying, not word polarity.
public enum EntailmentGrammar {
    static let names = ["Anna", "Ben", "Carla", "David", "Emma", "Felix", "Grace", "Henry", "Iris", "Jack",
                        "Kate", "Leo", "Maria", "Nick", "Olga", "Paul", "Rosa", "Sam", "Tina", "Victor"]
    /// (past, base, past participle)
    static let verbs: [(String, String, String)] = [
        ("bought", "buy", "bought"), ("painted", "paint", "painted"), ("found", "find", "found"),
        ("sold", "sell", "sold"), ("fixed", "fix", "fixed"), ("cleaned", "clean", "cleaned"),
        ("opened", "open", "opened"), ("carried", "carry", "carried"), ("moved", "move", "moved"),
        ("borrowed", "borrow", "borrowed"),
    ]
    static let adjectives = ["red", "blue", "old", "new", "small", "large", "green", "wooden", "white", "heavy"]
    static let objects = ["car", "boat", "table", "book", "bike", "lamp", "box", "door", "piano", "chair", "clock", "desk"]
    static let places = ["in the park", "at the market", "in the garden", "near the river", "in the city",
                         "at school", "in the kitchen", "at the station", "in the barn", "by the lake"]
    static let times = ["", "", "on monday", "yesterday", "last week", "in the morning"]

    /// How a hypothesis relates to its premise.
    public enum Relation: String, CaseIterable, Sendable {
        case restated, passive, location, someone
        case otherName, otherObject, otherVerb, negated, otherPlace, otherAdjective
        public var entails: Bool { [.restated, .passive, .location, .someone].contains(self) }
    }

    /// One (premise, hypothesis) pair; label 0 = entailment, 1 = not entailment (RTE's order).
    public static func pair(_ draws: inout SeededDraws) -> (premise: String, hypothesis: String, label: Int, relation: Relation) {
        let name = draws.pick(names), verb = draws.pick(verbs), adjective = draws.pick(adjectives)
        let object = draws.pick(objects), place = draws.pick(places), time = draws.pick(times)
        let premise = "\(name) \(verb.0) the \(adjective) \(object) \(place)\(time.isEmpty ? "" : " " + time)."
        func other<T: Equatable>(_ items: [T], than value: T) -> T {
            var v = draws.pick(items)
            while v == value { v = draws.pick(items) }
            return v
        }
        let entails = draws.chance(0.5)
        let relation: Relation = entails
            ? draws.pick([.restated, .passive, .location, .someone])
            : draws.pick([.otherName, .otherObject, .otherVerb, .negated, .otherPlace, .otherAdjective])
        let hypothesis: String
        switch relation {
        case .restated: hypothesis = "\(name) \(verb.0) the \(draws.chance(0.5) ? adjective + " " : "")\(object)"
        case .passive: hypothesis = "the \(object) was \(verb.2) by \(name)"
        case .location: hypothesis = "\(name) was \(place)"
        case .someone: hypothesis = "someone \(verb.0) the \(adjective) \(object)"
        case .otherName: hypothesis = "\(other(names, than: name)) \(verb.0) the \(object)"
        case .otherObject: hypothesis = "\(name) \(verb.0) the \(other(objects, than: object))"
        case .otherVerb: hypothesis = "\(name) \(other(verbs.map(\.0), than: verb.0)) the \(object)"
        case .negated: hypothesis = "\(name) did not \(verb.1) the \(object)"
        case .otherPlace: hypothesis = "\(name) was \(other(places, than: place))"
        case .otherAdjective: hypothesis = "\(name) \(verb.0) the \(other(adjectives, than: adjective)) \(object)"
        }
        return (premise, hypothesis, relation.entails ? 0 : 1, relation)
    }

    /// A pre-training document: a pair in the task's prompt format with its answer (share
    /// `promptShare`), or in free prose ("…. So it is true that …" / "… It is not true that …").
    public static func document(_ draws: inout SeededDraws, promptShare: Double = 0.3, exclude: Set<String>) -> String {
        var p = pair(&draws)
        while exclude.contains(p.premise + "|" + p.hypothesis) { p = pair(&draws) }
        if draws.chance(promptShare) {
            return "\(p.premise) Question: \(p.hypothesis)? Yes or No? Answer: \(p.label == 0 ? "Yes" : "No")."
        }
        return p.label == 0 ? "\(p.premise) So it is true that \(p.hypothesis)."
                            : "\(p.premise) It is not true that \(p.hypothesis)."
    }
}

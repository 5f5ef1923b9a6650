/// The SST-2-like review grammar: short movie-review sentences whose polarity comes from a
/// sentiment lexicon and is flipped by negation or decided by the second clause of a
/// contrast — so a bag of words is not enough (see docs/training.md, "Datasets").
public enum SentimentGrammar {
    static let subjects = [
        "the movie", "this film", "the plot", "the acting", "the script", "the ending", "the cast",
        "the soundtrack", "the dialogue", "the story", "the sequel", "the lead performance",
        "the camera work", "the pacing", "the humor", "the final act", "the direction", "the score",
    ]
    static let positive = [
        "wonderful", "brilliant", "charming", "moving", "delightful", "gripping", "clever", "beautiful",
        "superb", "funny", "heartfelt", "stunning", "thoughtful", "warm", "fresh", "sharp", "touching",
        "inventive", "joyful", "powerful", "lovely", "smart",
    ]
    static let negative = [
        "dull", "boring", "clumsy", "tedious", "awful", "bland", "messy", "lifeless", "predictable",
        "shallow", "painful", "forgettable", "flat", "lazy", "sloppy", "dreary", "hollow", "stale",
        "weak", "pointless", "silly", "tiresome",
    ]
    static let intensifiers = ["", "", "", "really ", "truly ", "quite ", "utterly ", "remarkably ", "surprisingly ", "very "]
    static let nouns = ["film", "story", "comedy", "drama", "thriller", "romance", "adventure", "debut", "mystery", "musical"]

    /// How a sentence decides its label.
    public enum Form: String, CaseIterable, Sendable {
        /// The adjectives' polarity is the label.
        case plain
        /// A negation ("is not", "never feels", "is far from") flips the adjective's polarity.
        case negated
        /// "X is A, but Y is B" / "although X is A, Y is B": the second clause decides.
        case contrast
    }

    /// One review sentence with its label (1 = positive) and form.
    public static func sentence(_ draws: inout SeededDraws) -> (text: String, label: Int, form: Form) {
        func adjective(_ positive: Bool) -> String { draws.pick(positive ? Self.positive : Self.negative) }
        let polarity = draws.chance(0.5)
        let subject = draws.pick(subjects)
        let r = draws.uniform()
        if r < 0.5 {
            let a = adjective(polarity), int = draws.pick(intensifiers)
            let text: String
            switch draws.index(below: 4) {
            case 0: text = "\(subject) is \(int)\(a) ."
            case 1:
                var b = adjective(polarity)
                while b == a { b = adjective(polarity) }
                text = "\(subject) was \(a) and \(b) ."
            case 2: text = "a \(int)\(a) \(draws.pick(nouns)) ."
            default: text = "i found \(subject) \(int)\(a) ."
            }
            return (text, polarity ? 1 : 0, .plain)
        } else if r < 0.75 {
            let a = adjective(!polarity)
            let text: String
            switch draws.index(below: 3) {
            case 0: text = "\(subject) is not \(a) ."
            case 1: text = "\(subject) never feels \(a) ."
            default: text = "\(subject) is far from \(a) ."
            }
            return (text, polarity ? 1 : 0, .negated)
        } else {
            var other = draws.pick(subjects)
            while other == subject { other = draws.pick(subjects) }
            let first = adjective(!polarity), second = adjective(polarity)
            let text = draws.chance(0.5) ? "\(subject) is \(first) , but \(other) is \(second) ."
                                         : "although \(subject) is \(first) , \(other) is \(second) ."
            return (text, polarity ? 1 : 0, .contrast)
        }
    }

    static let positiveEndings = ["I loved it.", "Highly recommended.", "A great time at the movies.", "I would watch it again.",
                                  "It was wonderful.", "What a film!"]
    static let negativeEndings = ["I hated it.", "Not recommended.", "A waste of time.", "I walked out early.",
                                  "It was awful.", "What a mess!"]

    /// A pre-training document: a review and a reaction that agrees with its label with
    /// probability `agreement`. The exact prompt phrase ("It was great." / "It was
    /// terrible.") follows only plain reviews (with probability `promptShare`); negated and
    /// contrast reviews get the other reactions, so a model must transfer what it learned.
    public static func document(_ draws: inout SeededDraws, agreement: Double = 0.9, promptShare: Double = 0.3,
                                exclude: Set<String>) -> String {
        var s = sentence(&draws)
        while exclude.contains(s.text) { s = sentence(&draws) }
        let positive = (s.label == 1) == draws.chance(agreement)
        let reaction: String
        if s.form == .plain && draws.chance(promptShare) {
            reaction = positive ? "It was great." : "It was terrible."
        } else {
            reaction = draws.pick(positive ? positiveEndings : negativeEndings)
        }
        return "\(s.text) \(reaction)"
    }
}

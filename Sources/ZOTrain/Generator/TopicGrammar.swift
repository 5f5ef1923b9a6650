/// The AG-News-like grammar: headlines built from per-topic subjects, verb phrases and
/// objects (labels: 0 world, 1 sports, 2 business, 3 science). A third of the headlines take
/// one slot from a shared pool ("officials said", "a record", "a new deal"…) so that single
/// words do not always give the topic away.
public enum TopicGrammar {
    static let countries = ["france", "brazil", "japan", "kenya", "canada", "india", "egypt", "norway", "peru", "vietnam"]
    static let teams = ["lions", "eagles", "tigers", "sharks", "wolves", "bears", "falcons", "rangers"]
    static let companies = ["acme corp", "globex", "initech", "umbrella inc", "soylent", "hooli", "vandelay", "stark industries"]

    static func subject(_ topic: Int, _ d: inout SeededDraws) -> String {
        switch topic {
        case 0: return d.pick(["the president of \(d.pick(countries))", "leaders of \(d.pick(countries)) and \(d.pick(countries))",
                               "the united nations", "the foreign minister", "protesters in \(d.pick(countries))", "rebels in the north"])
        case 1: return d.pick(["the \(d.pick(teams))", "the star striker", "the veteran coach", "the young goalkeeper",
                               "the home team", "the olympic champion"])
        case 2: return d.pick(["shares of \(d.pick(companies))", d.pick(companies), "the central bank", "investors",
                               "the retail giant", "oil producers"])
        default: return d.pick(["scientists", "researchers", "a new study", "astronomers", "engineers at \(d.pick(companies))",
                                "biologists"])
        }
    }

    static func predicate(_ topic: Int, _ d: inout SeededDraws) -> String {
        switch topic {
        case 0: return d.pick(["met to discuss the border dispute", "signed a treaty on water rights", "called for peace talks",
                               "warned of a new conflict", "agreed on refugee aid", "held talks after the election"])
        case 1: return d.pick(["beat the \(d.pick(teams)) in the final", "scored twice in the second half", "won the championship",
                               "lost the season opener", "broke the league record", "signed for the \(d.pick(teams))"])
        case 2: return d.pick(["reported higher quarterly profits", "cut interest rates", "announced layoffs",
                               "fell after weak sales", "agreed to a merger", "raised prices for customers"])
        default: return d.pick(["discovered a new planet", "built a faster computer chip", "found water on mars",
                                "identified a new species of frog", "launched a weather satellite", "mapped the human brain"])
        }
    }

    static let shared = ["officials said on tuesday", "in a surprise move", "after a record week", "despite the weather",
                         "as a new deal emerged", "according to reports"]

    /// One headline with its topic index.
    public static func headline(_ draws: inout SeededDraws) -> (text: String, label: Int) {
        let topic = draws.index(below: 4)
        var text = "\(subject(topic, &draws)) \(predicate(topic, &draws))"
        if draws.chance(0.35) { text = draws.chance(0.5) ? "\(draws.pick(shared)) , \(text)" : "\(text) , \(draws.pick(shared))" }
        return (text + " .", topic)
    }

    static let names = ["world", "sports", "business", "science"]

    /// A pre-training document: the headline tagged with its topic in the prompt format
    /// (share `promptShare`) or in other phrasings ("In sports news: …", "… Filed under sports.").
    public static func document(_ draws: inout SeededDraws, promptShare: Double = 0.3, exclude: Set<String>) -> String {
        var h = headline(&draws)
        while exclude.contains(h.text) { h = headline(&draws) }
        let name = names[h.label]
        if draws.chance(promptShare) { return "\(h.text) Topic: \(name)." }
        return draws.chance(0.5) ? "In \(name) news: \(h.text)" : "\(h.text) Filed under \(name)."
    }
}

/// Neutral narrative sentences (no label): everyday events with the same names and objects.
public enum NarrativeGrammar {
    public static func document(_ draws: inout SeededDraws) -> String {
        let name = draws.pick(EntailmentGrammar.names), other = draws.pick(EntailmentGrammar.names)
        let object = draws.pick(EntailmentGrammar.objects), place = draws.pick(EntailmentGrammar.places)
        let adjective = draws.pick(EntailmentGrammar.adjectives)
        switch draws.index(below: 4) {
        case 0: return "\(name) went \(place) and saw a \(adjective) \(object)."
        case 1: return "\(name) and \(other) talked about the \(object) for an hour."
        case 2: return "The \(object) \(place) was \(adjective), so \(name) left it there."
        default: return "After lunch, \(name) walked \(place) with \(other)."
        }
    }
}

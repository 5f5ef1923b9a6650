import Testing
@testable import ZOFunctions

/// Registry lookup, errors, listing and construction.
@Suite("Function catalog")
struct CatalogTests {
    static let specIDs = [
        "diagonal-quadratic", "rotated-quadratic", "rosenbrock", "extended-rosenbrock", "powell-singular", "beale",
        "himmelblau", "six-hump-camel", "styblinski-tang", "rastrigin", "ackley", "zakharov", "dixon-price", "trid",
        "sum-of-different-powers", "powell-1973", "noisy-least-squares", "block-heterogeneous-quadratic",
        "hizoo-a", "hizoo-b", "hizoo-c",
    ]

    @Test func catalogHoldsEveryFunctionOfTheSpecWithKebabCaseIDs() {
        #expect(FunctionCatalog.names == Self.specIDs)
        for id in FunctionCatalog.names {
            #expect(id.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" }, "\(id) is not kebab-case")
        }
    }

    @Test(arguments: FunctionCatalog.names)
    func everyEntryBuildsInEveryExampleDimension(name: String) throws {
        let descriptor = try FunctionCatalog.descriptor(named: name)
        let f = try FunctionCatalog.make(name)
        #expect(f.dimension == descriptor.defaultDimension && f.name == name)
        for d in Cases.dimensions(descriptor) {
            let g = try FunctionCatalog.make(name, dimension: d)
            #expect(g.dimension == d && g.domain.dimension == d && g.viewDomain.dimension == d)
            #expect(g.viewDomain.isBounded)
        }
    }

    @Test func lookupIgnoresCaseAndSeparators() throws {
        for spelling in ["Six-Hump-Camel", "six_hump_camel", "SIX HUMP CAMEL", "sixhumpcamel", " six-hump-camel "] {
            #expect(try FunctionCatalog.make(spelling).name == "six-hump-camel", "\(spelling)")
        }
        #expect(try FunctionCatalog.make("Styblinski–Tang").name == "styblinski-tang")
    }

    @Test func unknownNamesListCloseNames() {
        #expect(throws: FunctionError.unknownFunction("rosenbrok", suggestions: ["rosenbrock"])) {
            try FunctionCatalog.make("rosenbrok")
        }
        #expect(throws: FunctionError.unknownFunction("camel", suggestions: ["six-hump-camel"])) {
            try FunctionCatalog.make("camel")
        }
        #expect(throws: FunctionError.unknownFunction("xyzzy", suggestions: [])) { try FunctionCatalog.make("xyzzy") }
        #expect(throws: FunctionError.unknownFunction("rosen", suggestions: ["extended-rosenbrock", "rosenbrock"])) {
            try FunctionCatalog.make("rosen")
        }
        let message = FunctionError.unknownFunction("rosenbrok", suggestions: ["rosenbrock"]).description
        #expect(message.contains("did you mean 'rosenbrock'"))
    }

    @Test func unsupportedDimensionsSayWhichAreSupported() {
        #expect(throws: FunctionError.unsupportedDimension(function: "beale", requested: 3, supported: .fixed(2))) {
            try FunctionCatalog.make("beale", dimension: 3)
        }
        #expect(throws: FunctionError.self) { try FunctionCatalog.make("extended-rosenbrock", dimension: 5) }
        #expect(throws: FunctionError.self) { try FunctionCatalog.make("powell-singular", dimension: 6) }
        #expect(throws: FunctionError.self) { try FunctionCatalog.make("rosenbrock", dimension: 1) }
        #expect(throws: FunctionError.self) { try FunctionCatalog.make("noisy-least-squares", dimension: 513) }
        #expect(throws: FunctionError.self) { try FunctionCatalog.make("ackley", dimension: 0) }
        let message = FunctionError.unsupportedDimension(function: "extended-rosenbrock", requested: 5,
                                                         supported: .multiple(of: 2)).description
        #expect(message.contains("even d ≥ 2") && message.contains("d = 5"))
    }

    @Test func parametersAreCheckedAndUnknownOnesRefused() {
        #expect(throws: FunctionError.self) {
            try FunctionCatalog.make("rosenbrock", parameters: FunctionParameters(conditionNumber: 10))
        }
        #expect(throws: FunctionError.nonFiniteInput("diagonal-quadratic: parameter kappa (nan)")) {
            try FunctionCatalog.make("diagonal-quadratic", parameters: FunctionParameters(conditionNumber: .nan))
        }
        #expect(throws: FunctionError.self) {
            try FunctionCatalog.make("diagonal-quadratic", parameters: FunctionParameters(conditionNumber: 0.5))
        }
        #expect(throws: FunctionError.self) {
            try FunctionCatalog.make("block-heterogeneous-quadratic", dimension: 3, parameters: FunctionParameters(blockCount: 4))
        }
        #expect(throws: FunctionError.self) {
            try FunctionCatalog.make("noisy-least-squares", dimension: 10, parameters: FunctionParameters(sampleCount: 5))
        }
        #expect(throws: FunctionError.self) {
            try FunctionCatalog.make("rastrigin", parameters: FunctionParameters(batchSize: 0))
        }
    }

    @Test func parametersReachTheFunction() throws {
        let q = try #require(try FunctionCatalog.make("diagonal-quadratic", dimension: 5,
                                                      parameters: FunctionParameters(conditionNumber: 1e4)) as? DiagonalQuadratic)
        #expect(q.eigenvalues.first == 1 && q.eigenvalues.last == 1e4)
        let p = try #require(try FunctionCatalog.make("powell-1973", parameters: FunctionParameters(startOffset: 0.25)) as? Powell1973)
        #expect(p.defaultStart == [-1.25, 1.125, -1.0625])
    }

    @Test func listingAndDetailsCoverEveryFunction() throws {
        let (header, rows) = FunctionReport.listing()
        #expect(header.count == 4 && rows.count == FunctionCatalog.names.count)
        #expect(rows.allSatisfy { $0.count == 4 && !$0[3].isEmpty })
        for name in FunctionCatalog.names {
            let text = FunctionReport.details(try FunctionCatalog.make(name))
            for field in ["formula", "domain", "minimum", "start", "curvature"] { #expect(text.contains(field), "\(name): \(field)") }
        }
        let c = FunctionReport.details(try FunctionCatalog.make("hizoo-c"))
        #expect(c.contains("RECONSTRUCTION") && c.contains("condition number 2000"))
        #expect(FunctionReport.details(try FunctionCatalog.make("powell-1973")).contains("unbounded below"))
    }

    @Test func evaluationTextValidatesThePoint() throws {
        let f = try FunctionCatalog.make("himmelblau")
        #expect(try FunctionReport.evaluation(f, at: [3, 2]).contains("f             0"))
        #expect(throws: FunctionError.self) { try FunctionReport.evaluation(f, at: [3]) }
        #expect(throws: FunctionError.self) { try FunctionReport.evaluation(f, at: [3, .nan]) }
        #expect(try FunctionReport.evaluation(f, at: [9, 0]).contains("outside the domain"))
    }

    @Test func dimensionRulesAcceptWhatTheySay() {
        #expect(DimensionRule.multiple(of: 2).examples == [2, 4, 8])
        #expect(DimensionRule.multiple(of: 4).accepts(12) && !DimensionRule.multiple(of: 4).accepts(6))
        #expect(DimensionRule.atLeast(2).examples == [2, 3, 5, 10])
        #expect(DimensionRule.between(1...512).accepts(512) && !DimensionRule.between(1...512).accepts(513))
        #expect(DimensionRule.fixed(3).examples == [3] && !DimensionRule.fixed(3).accepts(2))
    }
}

import ZOCore

/// A ZOCore slab seen by the census (any scalar type).
protocol CensusSlab: AnyObject {
    var censusBytes: Int { get }
}

extension Slab: CensusSlab {
    var censusBytes: Int { byteCount }
}

/// Bytes an object graph holds, measured by walking it (Swift reflection, `Mirror`), not taken
/// from what the objects report: every ZOCore ``Slab`` reachable from the root (each counted
/// once, by identity) and every reachable `[Float]` / `[Double]` array (count × stride).
///
/// What it sees: stored properties of classes, structs, enums, optionals, tuples and
/// collections, private ones included, through existentials and superclasses. What it does not
/// see: memory behind raw pointers (`UnsafeMutablePointer.allocate`), closure captures, and
/// arrays of other element types (layout metadata such as `[Int]` offsets) — claim 10's state
/// lives in slabs and scalar arrays. Objects in `excluding` (and everything only reachable
/// through them) are skipped: the parameters an optimizer updates, the objective.
///
/// Unlike ZOCore's ``MemoryLedger`` (one process-wide counter) the census is per object, so it is
/// exact while other threads allocate; it measures what is held at the moment of the call, not
/// transient peaks inside a step.
enum MemoryCensus {
    struct Tally: Equatable {
        /// Bytes in slabs.
        var slabBytes = 0
        /// Bytes in `[Float]` / `[Double]` arrays.
        var arrayBytes = 0
        var total: Int { slabBytes + arrayBytes }
        /// "type.path: bytes" of every counted item (for reports and diagnostics).
        var items: [String] = []
    }

    static func tally(_ root: Any, excluding: [AnyObject] = []) -> Tally {
        var walker = Walker(excluded: Set(excluding.map(ObjectIdentifier.init)))
        walker.visit(root, path: String(describing: type(of: root)))
        return walker.tally
    }

    private struct Walker {
        let excluded: Set<ObjectIdentifier>
        var seen = Set<ObjectIdentifier>()
        var tally = Tally()

        init(excluded: Set<ObjectIdentifier>) { self.excluded = excluded }

        mutating func visit(_ value: Any, path: String) {
            if let slab = value as? any CensusSlab {
                let id = ObjectIdentifier(slab)
                guard !excluded.contains(id), seen.insert(id).inserted else { return }
                tally.slabBytes += slab.censusBytes
                tally.items.append("\(path): \(slab.censusBytes) B (slab)")
                return
            }
            if let a = value as? [Float] { countArray(a.count * MemoryLayout<Float>.stride, path: path); return }
            if let a = value as? [Double] { countArray(a.count * MemoryLayout<Double>.stride, path: path); return }
            let mirror = Mirror(reflecting: value)
            if mirror.displayStyle == .class {
                let id = ObjectIdentifier(value as AnyObject)
                guard !excluded.contains(id), seen.insert(id).inserted else { return }
            }
            // Large collections of non-scalar elements are walked element by element; the
            // optimizers hold only small ones (per tensor, per block).
            var m: Mirror? = mirror
            while let current = m {
                for (k, child) in current.children.enumerated() {
                    visit(child.value, path: path + "." + (child.label ?? "\(k)"))
                }
                m = current.superclassMirror
            }
        }

        mutating func countArray(_ bytes: Int, path: String) {
            guard bytes > 0 else { return }
            tally.arrayBytes += bytes
            tally.items.append("\(path): \(bytes) B (array)")
        }
    }
}

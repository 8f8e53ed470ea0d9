import AssayConfig
import AssayCore

extension RunSetup {
    /// The items the run asks, in order: epochs outermost, then suites, cases and models, so
    /// that models progress at the same pace and an interrupted run has a fair sample of
    /// each. Under a routing policy (`--route`), each case is asked only of the model its rule
    /// picks. Under an open-loop load of more requests than one pass holds, the plan is sent
    /// again as further epochs, up to the load's count. A lazy sequence: a run of a million
    /// items never holds them all.
    public var workItems: WorkItems {
        let shard = plan.settings.shard.map { shard in
            (shard, suites.map { suite in suite.cases.map { (suite.id, $0.id) } })
        }
        let pass = WorkItems(
            suites: suites.map(\.cases.count), models: models, epochs: max(1, plan.epochs), routes: routes, shard: shard
        )
        let perPass = pass.count
        guard perPass > 0 else { return pass }
        let total: Int
        if let load = plan.settings.load {
            total = load.total(itemsPerPass: perPass)
        } else if let requests = plan.settings.requests {
            total = requests
        } else {
            return pass
        }
        let passes = (total + perPass - 1) / perPass
        return WorkItems(
            suites: pass.suites, models: models, epochs: pass.epochs * max(1, passes), routes: routes, shard: shard,
            limit: total)
    }
}

/// The work items of a run, generated in order as they are needed.
public struct WorkItems: Sequence, Sendable {
    let suites: [Int]
    let models: [ModelSpec]
    public let epochs: Int
    /// The model id each case is routed to, by suite and case index (nil: no rule takes it);
    /// nil when every model is asked every case.
    let routes: [[String?]]?
    /// This run's shard, with each case's (suite id, case id) to hash; nil for every item.
    let shard: (shard: Shard, ids: [[(suite: String, caseID: String)]])?
    /// Stop after this many (an open-loop load's count); nil for all.
    let limit: Int?
    /// How many items there are.
    public private(set) var count = 0

    init(
        suites: [Int], models: [ModelSpec], epochs: Int, routes: [[String?]]? = nil,
        shard: (Shard, [[(suite: String, caseID: String)]])? = nil,
        limit: Int? = nil
    ) {
        self.suites = suites
        self.models = models
        self.epochs = epochs
        self.routes = routes
        self.shard = shard.map { (shard: $0.0, ids: $0.1) }
        self.limit = limit
        if self.shard != nil {
            // Which items a shard holds is known only by hashing each: counted once, here.
            count = reduce(0) { count, _ in count + 1 }
            return
        }
        let perEpoch =
            routes.map { routes in
                routes.reduce(0) { sum, cases in
                    sum + cases.filter { id in id.map { id in models.contains { $0.id == id } } ?? false }.count
                }
            } ?? models.count * suites.reduce(0, +)
        let all = epochs * perEpoch
        count = limit.map { Swift.min($0, all) } ?? all
    }

    /// How many items each model is asked.
    public var perModel: [String: Int] {
        guard routes != nil || limit != nil || shard != nil else {
            let each = models.isEmpty ? 0 : count / models.count
            return Dictionary(uniqueKeysWithValues: models.map { ($0.id, each) })
        }
        var counts = Dictionary(uniqueKeysWithValues: models.map { ($0.id, 0) })
        for item in self { counts[item.model.id, default: 0] += 1 }
        return counts
    }

    public struct Iterator: IteratorProtocol {
        let items: WorkItems
        var epoch = 1, suite = 0, caseIndex = 0, model = 0, given = 0

        public mutating func next() -> WorkItem? {
            guard !items.models.isEmpty, given < items.limit ?? .max else { return nil }
            while epoch <= items.epochs {
                if suite >= items.suites.count {
                    epoch += 1
                    suite = 0
                    continue
                }
                if caseIndex >= items.suites[suite] {
                    suite += 1
                    caseIndex = 0
                    continue
                }
                let spec = items.models[model]
                let item = WorkItem(suiteIndex: suite, caseIndex: caseIndex, model: spec, epoch: epoch)
                model += 1
                if model == items.models.count {
                    model = 0
                    caseIndex += 1
                }
                if let routes = items.routes, routes[item.suiteIndex][item.caseIndex] != spec.id { continue }
                if let (shard, ids) = items.shard {
                    let id = ids[item.suiteIndex][item.caseIndex]
                    guard shard.takes(suite: id.suite, caseID: id.caseID, model: spec.id, epoch: item.epoch) else {
                        continue
                    }
                }
                given += 1
                return item
            }
            return nil
        }
    }

    public func makeIterator() -> Iterator { Iterator(items: self) }
}

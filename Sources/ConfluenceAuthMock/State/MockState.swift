import AuthMockCrypto
import AuthMockFormats
import AuthMockHTTP

/// Everything one running mock knows, behind one read-write lock: the scenario, its clock, the
/// faults and their counters, tokens, content, and what lifecycle hooks and Forge invocations left;
/// and the journal, behind a lock of its own (every request writes to it, and most read the rest).
/// It is storage: requests read a `StateSnapshot` of it, and feature types act on it through these
/// accessors (`OAuthGrants`, `ConnectInstallations`, `LifecycleHooks`, `ProductJWTs`, `ForgeTokens`,
/// `ForgeInvocations`), making outbound calls themselves, never under the lock. Several mocks in a
/// process share nothing.
package final class MockState: Sendable {
    struct Storage {
        var scenario: Scenario { didSet { rebase() } }
        var clock: ScenarioClock { didSet { rebase() } }
        var faults: [StoredFault] { didSet { rebase() } }
        var nextFaultID = 1
        var tokens = TokenStore()
        var content: ContentStore { didSet { rebase() } }
        /// Secrets and statuses Connect lifecycle hooks changed.
        var connect = ConnectRuntime() { didSet { rebase() } }
        /// Counts per fault id, and request counts per rate-limit window.
        var faultCounters: [String: FaultCounter] = [:]
        /// The last Forge invocations the mock sent, oldest first.
        var forgeInvocations: [ForgeInvocationResult] = []
        var rateWindows: [String: RateWindow] = [:]
        /// Basic-auth failures in a row, by lower-cased email (CAPTCHA).
        var basicAuthFailures: [String: Int] = [:]
        /// The keys tokens and hooks are signed with.
        var keys = SigningKeys() { didSet { rebase() } }
        /// What every request's snapshot shares, made again whenever a field of it changes.
        private(set) var base: SnapshotBase

        init(_ scenario: Scenario) {
            self.scenario = scenario
            let clock = ScenarioClock(scenario.clock)
            self.clock = clock
            content = ContentStore(scenario, now: clock.now())
            faults = scenario.faults.enumerated().map { StoredFault(id: "f\($0 + 1)", fault: $1) }
            nextFaultID = faults.count + 1
            keys = SigningKeys(scenario.keys)
            base = SnapshotBase(scenario: scenario, clock: clock, faults: faults, connect: connect, content: content, keys: keys)
        }

        // Observers do not run in `init`, so this is every change after it.
        private mutating func rebase() {
            base = SnapshotBase(scenario: scenario, clock: clock, faults: faults, connect: connect, content: content, keys: keys)
        }

        mutating func store(_ fault: Fault) -> StoredFault {
            defer { nextFaultID += 1 }
            return StoredFault(id: "f\(nextFaultID)", fault: fault)
        }
    }

    private let storage: ReadWriteLock<Storage>
    private let journal: Lock<Journal>

    package init(scenario: Scenario, journalCapacity: Int) {
        storage = ReadWriteLock(Storage(scenario))
        journal = Lock(Journal(capacity: journalCapacity))
    }

    package var scenario: Scenario { storage.withReadLock { $0.pointee.scenario } }

    /// Everything a request reads, in one step under the lock; `bearer` is the token the request
    /// presented, if any, whose status is looked up in the same step.
    func snapshot(bearer: String?) -> StateSnapshot {
        let snapshot = storage.withReadLock { storage in
            let now = storage.pointee.clock.now()
            return StateSnapshot(base: storage.pointee.base, now: now, bearer: bearer.map { storage.pointee.tokens.status(of: $0, now: now) })
        }
        guard let bearer, !snapshot.scenario.keys.isEmpty, case .unknown? = snapshot.bearer else { return snapshot }
        // Outside the lock: verifying a signature takes tens of microseconds.
        return snapshot.with(bearer: ReplicaTokens.status(of: bearer, keys: snapshot.keys, scenario: snapshot.scenario, now: snapshot.now))
    }

    /// Swaps in a new, already validated scenario: its clock and faults replace the old ones at once.
    /// The journal is kept, so a test can still see what came before, and so are the signing keys
    /// unless the new scenario fixes its own.
    func replace(with scenario: Scenario) {
        // Made before the lock is taken: deriving fixed keys the first time can take a second.
        let keys = scenario.keys.isEmpty ? nil : SigningKeys(scenario.keys)
        storage.withLock { storage in
            let current = storage.keys
            storage = Storage(scenario)
            storage.keys = keys ?? current
        }
    }

    /// Back to the scenario's start: clock, journal, counters and run-time state. Faults added at
    /// run time stay (their counters restart).
    func reset() {
        storage.withLock { storage in
            // Everything starts as a new scenario would (so run-time state added later is reset
            // without being listed here), except what a reset keeps: every fault, with its id
            // sequence, the journal's entry ids, which keep counting after it is emptied, and the
            // signing keys (a restored state's included).
            var fresh = Storage(storage.scenario)
            fresh.faults = storage.faults
            fresh.nextFaultID = storage.nextFaultID
            fresh.keys = storage.keys
            storage = fresh
        }
        clearRequests()
    }

    // MARK: Saved states

    /// The run-time state as a saved state (``SavedState``).
    package func exportState() -> JSONValue { storage.withReadLock { $0.pointee.savedJSON(wallNow: wallClockSeconds()) } }

    /// Replaces everything but the journal with a saved state, all or nothing: read and checked
    /// first, then swapped in under the lock.
    package func importState(_ value: JSONValue) throws(MockConfluence.StateError) {
        switch Storage.restored(from: value, wallNow: wallClockSeconds()) {
        case .failure(let error):
            throw error
        case .success(let restored):
            storage.withLock { $0 = restored }
        }
    }

    // MARK: Clock

    var now: Double { storage.withReadLock { $0.pointee.clock.now() } }
    var clockJSON: JSONValue { storage.withReadLock { $0.pointee.clock.json } }

    func updateClock(_ change: (inout ScenarioClock) -> Void) { storage.withLock { change(&$0.clock) } }

    // MARK: Tokens

    /// Runs `body` over the token store under the lock.
    func withTokens<Result>(_ body: (inout TokenStore) -> Result) -> Result { storage.withLock { body(&$0.tokens) } }

    /// Runs `body` over the token store and the scenario clock's time under the lock.
    func withTokensAndClock<Result>(_ body: (inout TokenStore, Double) -> Result) -> Result {
        storage.withLock { storage in body(&storage.tokens, storage.clock.now()) }
    }


    /// Whether a bearer token is one this mock issued, and still valid on the scenario clock.
    func accessTokenStatus(_ token: String) -> AccessTokenStatus {
        storage.withReadLock { $0.pointee.tokens.status(of: token, now: $0.pointee.clock.now()) }
    }

    // MARK: Connect

    /// Changes the Connect runtime under the lock.
    func withConnect<Result>(_ body: (inout ConnectRuntime) -> Result) -> Result { storage.withLock { body(&$0.connect) } }

    // MARK: Forge

    /// How many Forge invocations are kept.
    static let forgeInvocationCapacity = 100

    /// The Forge invocations sent since the start or the last reset, oldest first (at most 100).
    var forgeInvocations: [ForgeInvocationResult] { storage.withReadLock { $0.pointee.forgeInvocations } }

    func recordForgeInvocation(_ result: ForgeInvocationResult) {
        storage.withLock { storage in
            storage.forgeInvocations.append(result)
            if storage.forgeInvocations.count > Self.forgeInvocationCapacity { storage.forgeInvocations.removeFirst() }
        }
    }

    // MARK: Bounds

    /// Rate-limit windows kept at most: past it, a principal without a window of its own is
    /// counted in one shared overflow window per limit (docs/reliability.md "Bounded state").
    static let rateWindowCapacity = 100_000

    /// Drops what has expired on the scenario clock: codes, tokens, refresh families (see
    /// ``TokenStore/prune(now:settings:)``), closed rate-limit windows, and the counters of faults
    /// that were removed. The server runs it every few seconds (``RequestPipeline/maintain()``).
    package func prune() {
        storage.withLock { storage in
            let now = storage.clock.now()
            storage.tokens.prune(now: now, settings: storage.scenario.tokens)
            storage.rateWindows = storage.rateWindows.filter { $0.value.contains(now) }
            let faultIDs = Set(storage.faults.map(\.id))
            storage.faultCounters = storage.faultCounters.filter { faultIDs.contains($0.key) }
        }
    }

    /// How many entries the other collections that grow with traffic hold (tests check the bounds).
    var sizes: (rateWindows: Int, basicAuthFailures: Int, faultCounters: Int) {
        storage.withReadLock { ($0.pointee.rateWindows.count, $0.pointee.basicAuthFailures.count, $0.pointee.faultCounters.count) }
    }

    // MARK: Content and basic auth

    /// Changes the running content under the lock; `now` is the scenario clock's time.
    func changeContent<Result>(_ body: (inout ContentStore, _ now: Double) -> Result) -> Result {
        storage.withLock { storage in body(&storage.content, storage.clock.now()) }
    }

    /// Records a basic-auth outcome for CAPTCHA counting and says whether the user is now locked:
    /// `failed` adds one failure in a row, success clears them, unless the lock has already tripped.
    func noteBasicAuth(email: String, failed: Bool, threshold: Int?) -> Bool {
        guard let threshold else { return false }
        let key = email.lowercased()
        return storage.withLock { storage in
            let count = storage.basicAuthFailures[key, default: 0]
            if count >= threshold { return true }
            storage.basicAuthFailures[key] = failed ? count + 1 : 0
            return false
        }
    }

    // MARK: Journal

    /// Appends an entry; `arrivedAt` (wall-clock seconds) becomes scenario time under the same lock.
    /// Journals `entry`, numbered in arrival order. The caller builds it before the lock (its
    /// `time` from the request's snapshot) and frees what `entry` holds afterwards, the entry a
    /// full journal pushed out: every request journals, so the lock is held for the append alone.
    func record(_ entry: inout JournalEntry) {
        journal.withLock { $0.append(&entry) }
    }
    /// The entries `filter` accepts; a principal that names a user of the scenario matches by
    /// account id or email alike.
    func requests(_ filter: JournalFilter) -> [JournalEntry] {
        let principals = filter.principal.map { principal in storage.withReadLock { $0.pointee.scenario.principalNames(principal) } } ?? []
        return journal.withLock { $0.select(filter, principals: principals) }
    }
    func clearRequests() { journal.withLock { $0.clear() } }
    /// Reads the journal under the lock (MockState+Journal.swift).
    func withJournal<Result>(_ read: (Journal) -> Result) -> Result { journal.withLock { read($0) } }

    // MARK: Faults

    /// The faults in order, with their counters.
    var faults: [StoredFault] {
        storage.withLock { storage in
            storage.faults.map { stored in
                var counted = stored
                (counted.seen, counted.fired) = storage.faultCounters[stored.id].map { ($0.seen, $0.fired) } ?? (0, 0)
                return counted
            }
        }
    }

    func addFaults(_ faults: [Fault]) -> [String] {
        storage.withLock { storage in
            let stored = faults.map { storage.store($0) }
            storage.faults += stored
            return stored.map(\.id)
        }
    }

    func removeFault(id: String) -> Bool {
        storage.withLock { storage in
            let before = storage.faults.count
            storage.faults.removeAll { $0.id == id }
            return storage.faults.count < before
        }
    }

    func clearFaults() { storage.withLock { $0.faults.removeAll() } }

    /// Counts the request for every fault whose keys accept it, and returns the first that applies
    /// (scenarios/README.md "faults": evaluated in order, first match wins; each fault counts on its own).
    func applicableFault(_ request: FaultRequest) -> AppliedFault? {
        storage.withLock { storage in
            var winner: AppliedFault?
            for stored in storage.faults where stored.fault.match.accepts(request) {
                var counter = storage.faultCounters[stored.id] ?? FaultCounter(seed: stored.fault.match.seed)
                if counter.admits(stored.fault.match), winner == nil, let outcome = stored.fault.outcome(forApplication: counter.fired) {
                    counter.fired += 1
                    winner = AppliedFault(label: stored.fault.name ?? stored.id, outcome: outcome)
                }
                storage.faultCounters[stored.id] = counter
            }
            return winner
        }
    }

    /// Counts the request in the window of every rate limit that accepts it, on the scenario clock.
    func countRateLimits(_ request: FaultRequest) -> RateLimitDecision {
        storage.withLock { storage in
            let now = storage.clock.now()
            var decision = RateLimitDecision(appTraffic: request.auth == .bearer || request.auth == .jwt)
            for (index, limit) in storage.scenario.rateLimits.enumerated() where limit.match.accepts(request) {
                var key = "\(index)|" + (limit.per == .global ? "*" : request.primaryPrincipal)
                if storage.rateWindows[key] == nil && storage.rateWindows.count >= Self.rateWindowCapacity { key = "\(index)|(overflow)" }
                var window = storage.rateWindows[key].flatMap { $0.contains(now) ? $0 : nil } ?? RateWindow(limit, now: now)
                window.count += 1
                storage.rateWindows[key] = window
                decision.note(window, limit, label: "rateLimits[\(index)]", now: now)
            }
            return decision
        }
    }
}


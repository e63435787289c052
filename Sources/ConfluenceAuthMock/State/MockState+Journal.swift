extension MockState {
    /// The journal's entries after `id` and the oldest id it still holds (``Journal/entries(after:)``).
    func journalEntries(after id: Int) -> (entries: [JournalEntry], oldestID: Int?) { withJournal { $0.entries(after: id) } }

    /// The id the journal's latest entry has (or had, before a clear); 0 before any.
    var lastJournalID: Int { withJournal { $0.nextID - 1 } }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// ISO-8601 / RFC 3339 timestamps without Foundation (see System.swift for why).
enum ISO8601 {
    /// Seconds since 1970 for `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, or `nil`.
    static func parse(_ text: String) -> Double? {
        let chars = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= chars.count, range.allSatisfy({ chars[$0] >= 48 && chars[$0] <= 57 }) else { return nil }
            return range.reduce(0) { $0 * 10 + Int(chars[$1] - 48) }
        }
        guard chars.count >= 20, chars[4] == 45, chars[7] == 45, chars[10] | 0x20 == 116, chars[13] == 58, chars[16] == 58,
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        var fraction = 0.0
        if chars[index] == 46 {
            var scale = 0.1
            index += 1
            let start = index
            while index < chars.count, chars[index] >= 48 && chars[index] <= 57 {
                fraction += Double(chars[index] - 48) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        guard index < chars.count else { return nil }
        var offset = 0
        if chars[index] | 0x20 == 122 {
            index += 1
        } else if chars[index] == 43 || chars[index] == 45, index + 6 == chars.count, chars[index + 3] == 58,
                  let hours = number((index + 1)..<(index + 3)), let minutes = number((index + 4)..<(index + 6)) {
            offset = (hours * 3600 + minutes * 60) * (chars[index] == 45 ? -1 : 1)
            index += 6
        } else {
            return nil
        }
        guard index == chars.count else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let seconds = timegm(&parts)
        // timegm normalizes impossible dates (February 30th); refuse them instead.
        guard parts.tm_mday == Int32(day), parts.tm_mon == Int32(month - 1) else { return nil }
        return Double(seconds - offset) + fraction
    }

    /// `2026-01-01T00:00:00Z`, with milliseconds when `milliseconds` is set.
    static func format(_ seconds: Double, milliseconds: Bool = false) -> String {
        var whole = time_t(seconds.rounded(.down))
        var parts = tm()
        gmtime_r(&whole, &parts)
        // Digits written straight into the string's storage: pages carry several dates and this
        // runs for each one (a byte array first cost a second allocation).
        let fraction = Int((seconds - seconds.rounded(.down)) * 1000)
        return String(unsafeUninitializedCapacity: milliseconds ? 24 : 20) { text in
            var position = 0
            func field(_ value: Int, _ count: Int, then separator: UInt8) {
                var divisor = 1
                for _ in 1..<count { divisor *= 10 }
                while divisor > 0 {
                    text[position] = UInt8(ascii: "0") + UInt8(value / divisor % 10)
                    position += 1
                    divisor /= 10
                }
                text[position] = separator
                position += 1
            }
            field(Int(parts.tm_year) + 1900, 4, then: UInt8(ascii: "-"))
            field(Int(parts.tm_mon) + 1, 2, then: UInt8(ascii: "-"))
            field(Int(parts.tm_mday), 2, then: UInt8(ascii: "T"))
            field(Int(parts.tm_hour), 2, then: UInt8(ascii: ":"))
            field(Int(parts.tm_min), 2, then: UInt8(ascii: ":"))
            field(Int(parts.tm_sec), 2, then: milliseconds ? UInt8(ascii: ".") : UInt8(ascii: "Z"))
            if milliseconds { field(fraction, 3, then: UInt8(ascii: "Z")) }
            return position
        }
    }
}

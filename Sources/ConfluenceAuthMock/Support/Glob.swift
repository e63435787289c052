/// `*` matches any run of characters (slashes included); everything else matches itself.
func globMatches(_ pattern: String, _ text: String) -> Bool {
    let pattern = Array(pattern.utf8), text = Array(text.utf8)
    var p = 0, t = 0, star = -1, resume = 0
    while t < text.count {
        if p < pattern.count && pattern[p] == UInt8(ascii: "*") {
            star = p
            resume = t
            p += 1
        } else if p < pattern.count && pattern[p] == text[t] {
            p += 1
            t += 1
        } else if star >= 0 {
            p = star + 1
            resume += 1
            t = resume
        } else {
            return false
        }
    }
    while p < pattern.count && pattern[p] == UInt8(ascii: "*") { p += 1 }
    return p == pattern.count
}

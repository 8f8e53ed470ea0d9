import Foundation

/// How old a price was when a run used it: reports flag a price read more than 90 days
/// before the run, since vendors change prices monthly.
public enum PriceAge {
    public static let staleAfterDays = 90

    /// True for a calendar date written `YYYY-MM-DD`.
    public static func isDate(_ text: String) -> Bool { days(text, at: Date()) != nil }

    /// Whole days from the price's date (`YYYY-MM-DD`, UTC) to `date`; nil when the price's
    /// date is not a calendar date.
    public static func days(_ priceDate: String, at date: Date) -> Int? {
        let parts = priceDate.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, priceDate.count == 10 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        guard let utc = TimeZone(identifier: "UTC") else { return nil }
        calendar.timeZone = utc
        guard let start = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])),
            calendar.component(.day, from: start) == parts[2]
        else { return nil }
        return calendar.dateComponents([.day], from: start, to: date).day
    }
}

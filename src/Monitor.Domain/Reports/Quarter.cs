using System.Globalization;
using System.Text.RegularExpressions;

namespace Monitor.Domain.Reports;

/// <summary>A calendar quarter, written as the API takes it: <c>2017Q3</c> is July to September 2017.</summary>
public readonly partial record struct Quarter(int Year, int Number)
{
    private static readonly string[] MonthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    /// <summary>The first year a quarter may be asked for: no force keeps monthly figures from before it.</summary>
    public const int FirstYear = 1900;

    /// <summary>The last year a quarter may be asked for: 9999Q4 ends after the last date there is (whole years keep the rule short).</summary>
    public const int LastYear = 9998;

    /// <summary>Reads <c>yyyyQn</c> for a year from <see cref="FirstYear"/> to <see cref="LastYear"/>; null for anything else.</summary>
    public static Quarter? Parse(string? text)
    {
        var match = text is null ? null : QuarterPattern().Match(text);
        if (match is not { Success: true })
        {
            return null;
        }

        // Four digits also read 0000 and 9999, whose quarters have no dates on either side (year 0, or ending after 9999).
        var year = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return year is >= FirstYear and <= LastYear ? new Quarter(year, match.Groups[2].Value[0] - '0') : null;
    }

    /// <summary>The quarter a date falls in.</summary>
    public static Quarter Of(DateOnly date) => new(date.Year, ((date.Month - 1) / 3) + 1);

    public int FirstMonth => ((Number - 1) * 3) + 1;

    /// <summary>The quarter's months as period labels (<c>2017-07</c>), the way charted months are labelled.</summary>
    public IReadOnlyList<string> MonthLabels
    {
        get
        {
            var year = Year;
            return [.. Enumerable.Range(FirstMonth, 3).Select(m => string.Create(CultureInfo.InvariantCulture, $"{year:0000}-{m:00}"))];
        }
    }

    public Quarter Previous => Number == 1 ? new Quarter(Year - 1, 4) : new Quarter(Year, Number - 1);

    public Quarter SameLastYear => new(Year - 1, Number);

    /// <summary>The quarter that starts the month after this one ends.</summary>
    public DateOnly EndsBefore => new DateOnly(Year, FirstMonth, 1).AddMonths(3);

    /// <summary>How the report names it: "July – September 2017".</summary>
    public string Title => $"{MonthNames[FirstMonth - 1]} – {MonthNames[FirstMonth + 1]} {Year.ToString(CultureInfo.InvariantCulture)}";

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year:0000}Q{Number}");

    [GeneratedRegex("^([0-9]{4})Q([1-4])$", RegexOptions.CultureInvariant)]
    private static partial Regex QuarterPattern();
}

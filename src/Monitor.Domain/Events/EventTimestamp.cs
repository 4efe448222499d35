namespace Monitor.Domain.Events;

/// <summary>
/// The fast path for the one timestamp form feeds nearly always send: <c>yyyy-MM-ddTHH:mm:ss[.fffffff](Z|±hh:mm)</c>,
/// read straight from UTF-8. It accepts only values the full rule (the ISO pattern, then
/// <see cref="DateTimeOffset.TryParse(string, IFormatProvider, System.Globalization.DateTimeStyles, out DateTimeOffset)"/>)
/// reads to the same instant; anything else, valid or not, is left to that rule, so what is refused and why is unchanged.
/// </summary>
internal static class EventTimestamp
{
    public static bool TryParseCommon(ReadOnlySpan<byte> text, out DateTimeOffset at)
    {
        at = default;
        if (text.Length < 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':')
        {
            return false;
        }

        if (!Digits(text, 0, 4, out var year) || !Digits(text, 5, 2, out var month) || !Digits(text, 8, 2, out var day)
            || !Digits(text, 11, 2, out var hour) || !Digits(text, 14, 2, out var minute) || !Digits(text, 17, 2, out var second))
        {
            return false;
        }

        // Years near the ends of the calendar could overflow once the offset is applied: the full rule decides those.
        if (year is < 1000 or > 9998 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var position = 19;
        long fraction = 0;
        if (text[position] == '.')
        {
            var digits = 0;
            position++;
            while (position < text.Length && text[position] is >= (byte)'0' and <= (byte)'9')
            {
                if (++digits > 7)
                {
                    return false;
                }

                fraction = (fraction * 10) + (text[position] - '0');
                position++;
            }

            if (digits == 0)
            {
                return false;
            }

            for (var i = digits; i < 7; i++)
            {
                fraction *= 10;
            }
        }

        TimeSpan offset;
        var rest = text[position..];
        if (rest.Length == 1 && rest[0] == 'Z')
        {
            offset = TimeSpan.Zero;
        }
        else if (rest.Length == 6 && rest[0] is (byte)'+' or (byte)'-' && rest[3] == ':'
                 && Digits(rest, 1, 2, out var offsetHours) && Digits(rest, 4, 2, out var offsetMinutes)
                 && offsetMinutes <= 59 && (offsetHours < 14 || (offsetHours == 14 && offsetMinutes == 0)))
        {
            offset = new TimeSpan(offsetHours, offsetMinutes, 0);
            if (rest[0] == '-')
            {
                offset = -offset;
            }
        }
        else
        {
            return false;
        }

        at = new DateTimeOffset(new DateTime(year, month, day, hour, minute, second).AddTicks(fraction), offset);
        return true;
    }

    private static bool Digits(ReadOnlySpan<byte> text, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            var digit = text[i] - '0';
            if (digit is < 0 or > 9)
            {
                return false;
            }

            value = (value * 10) + digit;
        }

        return true;
    }
}

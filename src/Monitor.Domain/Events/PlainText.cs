using System.Globalization;

namespace Monitor.Domain.Events;

/// <summary>
/// What text from outside may hold (docs/security.md: "control characters refused"): the one rule for a feed's
/// event fields and a person's alert notes. Both end up on wallboards and in exports, where a control character
/// can corrupt a line and a bidirectional override can make text read other than it is stored.
/// </summary>
public static class PlainText
{
    private const char C0Last = '\u001f';
    private const char C1First = '\u007f';
    private const char C1Last = '\u009f';

    /// <summary>Whether the text holds a C0 or C1 control (exactly <see cref="char.IsControl(char)"/>'s ranges), line breaks and tabs included.</summary>
    public static bool HasControl(ReadOnlySpan<char> text) =>
        text.IndexOfAnyInRange('\u0000', C0Last) >= 0 || text.IndexOfAnyInRange(C1First, C1Last) >= 0;

    /// <summary>
    /// Why text a person typed over several lines (<paramref name="what"/>: "the note") is refused, or null: a C0 or
    /// C1 control other than a line feed or a tab, a bidirectional embedding, override or isolate (U+202A–202E,
    /// U+2066–2069), or half a surrogate pair. A carriage return is refused too: a line break is a line feed.
    /// </summary>
    public static string? MultilineRefusal(string what, string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            var problem = c switch
            {
                '\n' or '\t' => null,
                _ when char.IsSurrogate(c) => "half a surrogate pair",
                <= C0Last or (>= C1First and <= C1Last) => "a control character",
                (>= '\u202a' and <= '\u202e') or (>= '\u2066' and <= '\u2069') => "a bidirectional control character",
                _ => null,
            };
            if (problem is not null)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{what} holds {problem} (U+{(int)c:X4} at character {i + 1}); write it as plain text");
            }
        }

        return null;
    }
}

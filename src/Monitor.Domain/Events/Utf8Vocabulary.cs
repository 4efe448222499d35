using System.Text;

namespace Monitor.Domain.Events;

/// <summary>
/// A closed vocabulary matched on UTF-8 bytes: a value that is one of its words comes back as the one shared
/// string, so reading millions of events decodes and allocates no copy of "999" or "emergency".
/// </summary>
internal sealed class Utf8Vocabulary
{
    private readonly byte[][] _utf8;
    private readonly string[] _words;

    public Utf8Vocabulary(IEnumerable<string> words)
    {
        _words = [.. words];
        _utf8 = [.. _words.Select(Encoding.UTF8.GetBytes)];
    }

    /// <summary>The shared string for these bytes (an unescaped JSON string's contents), or null when it is no word of the vocabulary.</summary>
    public string? Find(ReadOnlySpan<byte> utf8)
    {
        for (var i = 0; i < _utf8.Length; i++)
        {
            if (utf8.SequenceEqual(_utf8[i]))
            {
                return _words[i];
            }
        }

        return null;
    }

    /// <summary>The shared string equal to <paramref name="value"/>, or null when it is no word of the vocabulary.</summary>
    public string? Find(string value)
    {
        foreach (var word in _words)
        {
            if (string.Equals(word, value, StringComparison.Ordinal))
            {
                return word;
            }
        }

        return null;
    }
}

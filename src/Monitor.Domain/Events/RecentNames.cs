using System.IO.Hashing;

namespace Monitor.Domain.Events;

/// <summary>
/// The names this thread has read lately (a force, a district), each kept as one string: a feed names the same force
/// on every event and one of a dozen districts on most, so reading them afresh decoded and allocated the same few
/// strings millions of times (a twentieth of the bytes ingest allocated). Bounded, and per thread so no lock is
/// taken: a name pushed out by another is only decoded again.
/// </summary>
internal sealed class RecentNames
{
    /// <summary>Slots per thread: a force's districts and its own name fit many times over; a collision costs a decode.</summary>
    private const int Slots = 64;

    [ThreadStatic]
    private static RecentNames? s_current;

    private readonly byte[]?[] _utf8 = new byte[Slots][];
    private readonly string?[] _names = new string[Slots];

    public static RecentNames Current => s_current ??= new RecentNames();

    /// <summary>The name held for these bytes (an unescaped JSON string's contents), or null when none is.</summary>
    public string? Find(ReadOnlySpan<byte> utf8)
    {
        var slot = SlotOf(utf8);
        return _utf8[slot] is { } held && utf8.SequenceEqual(held) ? _names[slot] : null;
    }

    /// <summary>Holds a name that was read and accepted, in place of whichever shared its slot.</summary>
    public void Hold(ReadOnlySpan<byte> utf8, string name)
    {
        var slot = SlotOf(utf8);
        _utf8[slot] = utf8.ToArray();
        _names[slot] = name;
    }

    private static int SlotOf(ReadOnlySpan<byte> utf8) => (int)(XxHash3.HashToUInt64(utf8) % Slots);
}

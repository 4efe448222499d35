using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Monitor.Domain.Measures;

/// <summary>
/// The identity of a fact, as text ("call:999:C-1:offered"), and the 64-bit fingerprint a measure remembers it by.
/// Holding hashes, not id strings, keeps a busy measure's de-duplication window to a few kilobytes; at 64 bits a
/// collision within one window is vanishingly unlikely (about 1 in 10^10 for 100,000 facts).
/// </summary>
/// <remarks>
/// A key may be held in three parts (a shared head, the call's or incident's own id, a shared tail) and joined only
/// when its text is asked for: the facts a call or an incident derives are counted and forgotten, and building each
/// one's text only to hash it was a twentieth of the bytes ingest allocated. The parts change nothing a key means:
/// its equality, hash and fingerprint are those of its whole text.
/// </remarks>
[JsonConverter(typeof(FactKeyJsonConverter))]
public readonly struct FactKey : IEquatable<FactKey>
{
    /// <summary>Longest key joined on the stack to be hashed or compared; longer ones (none the contract allows) are joined on the heap.</summary>
    private const int StackLimit = 256;

    private readonly string? _head;
    private readonly string? _id;
    private readonly string? _tail;

    public FactKey(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _head = text;
    }

    private FactKey(string head, string id, string tail) => (_head, _id, _tail) = (head, id, tail);

    /// <summary>The key whose text is <paramref name="head"/>, <paramref name="id"/> and <paramref name="tail"/> one after another.</summary>
    public static FactKey Of(string head, string id, string tail)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(tail);
        return new FactKey(head, id, tail);
    }

    public int Length => (_head?.Length ?? 0) + (_id?.Length ?? 0) + (_tail?.Length ?? 0);

    /// <summary>The fingerprint of the key's text: the same whichever parts it was given in.</summary>
    public ulong Fingerprint
    {
        get
        {
            if (_id is null)
            {
                return Hash(_head ?? string.Empty);
            }

            var length = Length;
            if (length > StackLimit)
            {
                return Hash(ToString());
            }

            Span<char> text = stackalloc char[length];
            CopyTo(text);
            return Hash(text);
        }
    }

    public static implicit operator FactKey(string text) => new(text);

    public static bool operator ==(FactKey left, FactKey right) => left.Equals(right);

    public static bool operator !=(FactKey left, FactKey right) => !left.Equals(right);

    /// <summary>The fingerprint of a key's text.</summary>
    public static ulong Hash(string key) => Hash(key.AsSpan());

    /// <summary>The key of the fact that takes this one back out of every figure it was counted in.</summary>
    public FactKey Retracted() => new(ToString() + ":retracted");

    public override string ToString() => _id is null ? _head ?? string.Empty : string.Concat(_head, _id, _tail);

    public bool Equals(FactKey other)
    {
        if (_id is null && other._id is null)
        {
            return string.Equals(_head ?? string.Empty, other._head ?? string.Empty, StringComparison.Ordinal);
        }

        var length = Length;
        if (length != other.Length)
        {
            return false;
        }

        if (length > StackLimit)
        {
            return string.Equals(ToString(), other.ToString(), StringComparison.Ordinal);
        }

        Span<char> mine = stackalloc char[length];
        Span<char> theirs = stackalloc char[length];
        CopyTo(mine);
        other.CopyTo(theirs);
        return mine.SequenceEqual(theirs);
    }

    public override bool Equals(object? obj) => obj is FactKey other && Equals(other);

    public override int GetHashCode() => (int)Fingerprint;

    private static ulong Hash(ReadOnlySpan<char> text) => XxHash3.HashToUInt64(MemoryMarshal.AsBytes(text));

    private void CopyTo(Span<char> text)
    {
        _head.AsSpan().CopyTo(text);
        _id.AsSpan().CopyTo(text[(_head?.Length ?? 0)..]);
        _tail.AsSpan().CopyTo(text[((_head?.Length ?? 0) + (_id?.Length ?? 0))..]);
    }
}

/// <summary>A key is its text in JSON (incidents stored by earlier builds hold their counted response's key so).</summary>
public sealed class FactKeyJsonConverter : JsonConverter<FactKey>
{
    public override FactKey Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(reader.GetString() ?? throw new JsonException("a fact's key must be a string"));

    public override void Write(Utf8JsonWriter writer, FactKey value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}

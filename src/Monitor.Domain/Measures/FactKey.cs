using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Monitor.Domain.Measures;

/// <summary>
/// The 64-bit fingerprint a measure remembers a fact by. Holding hashes, not id strings, keeps a busy
/// measure's de-duplication window to a few kilobytes; at 64 bits a collision within one window is
/// vanishingly unlikely (about 1 in 10^10 for 100,000 facts).
/// </summary>
public static class FactKey
{
    public static ulong Hash(string key) => XxHash3.HashToUInt64(MemoryMarshal.AsBytes(key.AsSpan()));
}

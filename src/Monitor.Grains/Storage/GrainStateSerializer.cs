using System.Buffers;
using Orleans.Serialization;
using Orleans.Storage;

namespace Monitor.Grains.Storage;

/// <summary>
/// The one form grain state is stored in, by every store (Redis, the embedded store, the tests' shared store): Orleans'
/// own binary form, the one grain calls already use, behind a one-byte mark. State without the mark was written as
/// JSON by an earlier build on Redis, and is read with the serializer that wrote it. During a roll from such a build
/// (<c>Monitor:CompactRecords</c> false) state is written as that JSON too, so the copies not yet rolled can read it.
/// </summary>
/// <remarks>
/// Redis used to keep grain state as the provider's default JSON, which names each value's runtime type, while the
/// grain tests stored it in the binary form: a state the tests read back could fail to read from Redis. One did: an
/// alert's stored outbox held a collection expression, whose runtime type (the compiler's <c>&lt;&gt;z__ReadOnlyArray</c>)
/// JSON can name but not create, so the alert could not be activated again. With one form everywhere, what the grain
/// tests store and read is what production stores and reads, and a value the form cannot carry fails when written
/// (in a test), not when read back after a crash.
/// </remarks>
public sealed class GrainStateSerializer(Serializer serializer, IGrainStorageSerializer? earlierJson = null, bool compact = true) : IGrainStorageSerializer
{
    private readonly IGrainStorageSerializer? _jsonWriter = compact
        ? null
        : earlierJson ?? throw new ArgumentNullException(nameof(earlierJson), "State written as JSON needs the JSON serializer.");

    /// <summary>Marks the binary form: no JSON text starts with a control character (JSON starts with a value, white space or a byte order mark).</summary>
    public const byte BinaryMark = 0x01;

    public BinaryData Serialize<T>(T? input)
    {
        if (_jsonWriter is not null)
        {
            return _jsonWriter.Serialize(input);
        }

        var written = new ArrayBufferWriter<byte>(256);
        written.GetSpan(1)[0] = BinaryMark;
        written.Advance(1);
        serializer.Serialize(input, written);
        return new BinaryData(written.WrittenMemory);
    }

    public T? Deserialize<T>(BinaryData input)
    {
        var bytes = input.ToMemory();
        if (!bytes.IsEmpty && bytes.Span[0] == BinaryMark)
        {
            return serializer.Deserialize<T>(bytes[1..]);
        }

        return earlierJson is not null
            ? earlierJson.Deserialize<T>(input)
            : throw new InvalidOperationException($"Stored {typeof(T).Name} is not in the binary form this store writes (its first byte is not {BinaryMark}).");
    }
}

using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Monitor.Domain.Events;

namespace Monitor.Cli.Commands;

/// <summary>One line of an NDJSON file of events: its number (from 1), and the event or the reason it was refused.</summary>
internal readonly record struct EventLine(long Number, MonitorEvent? Event, string? Error);

/// <summary>
/// Reads an NDJSON file of events in file order while parsing it on every core: the file is streamed in blocks of
/// whole lines, each block parsed on the thread pool, the blocks handed back in order. Only a few blocks are held
/// at a time, so a file of millions of events is never in memory. Lines are split and numbered as
/// <see cref="File.ReadLines(string)"/> does (a UTF-8 byte order mark skipped; \n, \r or \r\n ends a line; blank
/// lines skipped but counted; bytes that are not UTF-8 read as U+FFFD).
/// </summary>
internal sealed class EventFileReader(string path)
{
    // Small blocks, few in flight: parsed events waiting in a queue outlive collections and get promoted (1 MiB
    // blocks cost a replay about 15% more CPU and 75% more peak memory).
    private const int BlockBytes = 1 << 17;

    /// <summary>The file's events, block by block in file order; each block is disposed by the caller when done with.</summary>
    public async IAsyncEnumerable<EventBlock> ReadAsync([EnumeratorCancellation] CancellationToken cancellation = default)
    {
        var parsed = Channel.CreateBounded<Task<EventBlock>>(new BoundedChannelOptions(Environment.ProcessorCount + 1) { SingleReader = true, SingleWriter = true });
        var producer = Task.Run(() => ProduceAsync(parsed.Writer, cancellation), cancellation);
        try
        {
            var number = 0L;
            await foreach (var task in parsed.Reader.ReadAllAsync(cancellation))
            {
                var block = await task;
                block.Number(ref number);
                yield return block;
            }
        }
        finally
        {
            // A caller that stops early: let the producer finish its current block and release what is queued.
            parsed.Writer.TryComplete();
            while (parsed.Reader.TryRead(out var left))
            {
                (await left).Dispose();
            }

            await producer;
        }
    }

    private async Task ProduceAsync(ChannelWriter<Task<EventBlock>> parsed, CancellationToken cancellation)
    {
        try
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
            var buffer = ArrayPool<byte>.Shared.Rent(BlockBytes);
            var filled = 0;
            var skip = -1;
            while (true)
            {
                if (filled == buffer.Length)
                {
                    // A line longer than a block: the block grows to hold it.
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, filled).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await file.ReadAsync(buffer.AsMemory(filled), cancellation);
                filled += read;
                if (skip < 0)
                {
                    if (filled < 3 && read != 0)
                    {
                        continue;
                    }

                    skip = filled >= 3 && buffer.AsSpan(0, 3).SequenceEqual("\uFEFF"u8) ? 3 : 0;
                }

                // A block ends after its last line break; what follows waits for the next read.
                var end = read == 0 ? filled : buffer.AsSpan(0, filled).LastIndexOf((byte)'\n') + 1;
                if (end <= skip && read != 0)
                {
                    continue;
                }

                var next = ArrayPool<byte>.Shared.Rent(Math.Max(BlockBytes, filled - end));
                buffer.AsSpan(end, filled - end).CopyTo(next);
                var block = new EventBlock(buffer, skip, Math.Max(end, skip));
                await parsed.WriteAsync(Task.Run(block.Parse, cancellation), cancellation);
                buffer = next;
                filled -= end;
                skip = 0;
                if (read == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    break;
                }
            }
        }
        catch (Exception e)
        {
            parsed.TryComplete(e);
            return;
        }

        parsed.TryComplete();
    }
}

/// <summary>A block of whole lines of the file, parsed; its bytes are pooled and go back when it is disposed.</summary>
internal sealed class EventBlock(byte[] buffer, int start, int end) : IDisposable
{
    // The ASCII characters string.IsNullOrWhiteSpace skips (it decides itself for the rest).
    private static readonly SearchValues<byte> AsciiWhiteSpace =
        SearchValues.Create([.. Enumerable.Range(0, 128).Where(c => char.IsWhiteSpace((char)c)).Select(c => (byte)c)]);

    private readonly List<(int Line, int Start, int Length, byte[]? Text, EventReadResult Read)> _events = [];
    private int _lines;
    private long _firstNumber;
    private byte[]? _buffer = buffer;

    /// <summary>How many lines hold an event or a refusal (blank lines are left out).</summary>
    public int Count => _events.Count;

    /// <summary>How many bytes of the file the block holds (with a byte order mark it skipped): for progress by the file's length.</summary>
    public long Bytes => end;

    public EventLine this[int index] => new(_firstNumber + _events[index].Line, _events[index].Read.Event, _events[index].Read.Error);

    /// <summary>The line's UTF-8 text (after U+FFFD replaced what was not UTF-8).</summary>
    public ReadOnlySpan<byte> Text(int index)
    {
        var entry = _events[index];
        return entry.Text ?? _buffer.AsSpan(entry.Start, entry.Length);
    }

    public EventBlock Parse()
    {
        var rest = _buffer.AsSpan(start, end - start);
        var offset = start;
        while (!rest.IsEmpty)
        {
            var stop = rest.IndexOfAny((byte)'\n', (byte)'\r');
            var line = stop < 0 ? rest : rest[..stop];
            var length = stop < 0 ? rest.Length : stop + (rest[stop] == '\r' && stop + 1 < rest.Length && rest[stop + 1] == '\n' ? 2 : 1);
            Add(_lines++, offset, line);
            rest = rest[length..];
            offset += length;
        }

        return this;
    }

    /// <summary>Gives the block's lines their numbers in the file, following those before it.</summary>
    public void Number(ref long number)
    {
        _firstNumber = number + 1;
        number += _lines;
    }

    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Add(int index, int offset, ReadOnlySpan<byte> line)
    {
        byte[]? text = null;
        if (!System.Text.Unicode.Utf8.IsValid(line))
        {
            text = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(line));
            line = text;
        }

        var first = line.IndexOfAnyExcept(AsciiWhiteSpace);
        if (first < 0 || (line[first] >= 0x80 && string.IsNullOrWhiteSpace(Encoding.UTF8.GetString(line))))
        {
            return;
        }

        EventReadResult read;
        try
        {
            read = EventReader.Read(line);
        }
        catch (JsonException e)
        {
            read = EventReadResult.Rejected(null, $"not valid JSON ({e.Message.Split(". Path")[0]})");
        }

        _events.Add((index, offset, line.Length, text, read));
    }
}

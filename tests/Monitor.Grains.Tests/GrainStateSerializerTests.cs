using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Monitor.Grains.Measures;
using Monitor.Grains.Storage;
using Orleans.Serialization;

namespace Monitor.Grains.Tests;

public sealed class GrainStateSerializerTests
{
    private readonly Serializer _serializer = new ServiceCollection().AddMonitorSerialization().BuildServiceProvider().GetRequiredService<Serializer>();

    [Fact]
    public void State_is_stored_behind_its_mark_and_read_back()
    {
        var form = new GrainStateSerializer(_serializer);
        var closedAt = new DateTimeOffset(2026, 11, 27, 1, 0, 30, TimeSpan.Zero);

        var stored = form.Serialize(new PeriodCloserState { LastClosed = closedAt });

        Assert.Equal(GrainStateSerializer.BinaryMark, stored.ToMemory().Span[0]);
        Assert.Equal(closedAt, form.Deserialize<PeriodCloserState>(stored)!.LastClosed);
    }

    [Fact]
    public void Json_without_a_reader_for_it_is_refused_with_the_reason_not_misread()
    {
        var form = new GrainStateSerializer(_serializer);

        var refused = Assert.Throws<InvalidOperationException>(() => form.Deserialize<PeriodCloserState>(new BinaryData(Encoding.UTF8.GetBytes("""{"LastClosed":null}"""))));

        Assert.Equal("Stored PeriodCloserState is not in the binary form this store writes (its first byte is not 1).", refused.Message);
        Assert.Throws<ArgumentNullException>(() => new GrainStateSerializer(_serializer, earlierJson: null, compact: false));
    }
}

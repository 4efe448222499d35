using Monitor.Abstractions;

namespace Monitor.Grains.Tests;

/// <summary>What the grain tests do to a grain's activations: end one, as idle collection would, and feed one.</summary>
public static class Activations
{
    /// <summary>
    /// Collects the grain's activation and waits until it is gone. An age limit above zero is not enough: idleness is
    /// measured on a coarse clock, so an activation called a moment before can still count as busy and be kept.
    /// </summary>
    public static async Task CollectAsync(IGrainFactory grains, IGrain grain)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await management.ForceActivationCollection(TimeSpan.Zero);
            if (await management.GetGrainActivationCount((GrainReference)grain) == 0)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "the grain's activation was not collected within 30 s");
            await Task.Delay(TimeSpan.FromMilliseconds(10));
        }
    }

    /// <summary>
    /// 70 batches (more than a journal takes before its first snapshot), each of two new facts: fingerprint 1000 + i at
    /// <paramref name="at"/> + i minutes and 5000 + i a day before; none may be a duplicate.
    /// </summary>
    public static async Task ApplySeventyPairsAsync(IMeasureGrain grain, DateTimeOffset at)
    {
        for (var i = 0; i < 70; i++)
        {
            var outcome = await grain.Apply(new MeasureBatch
            {
                Fingerprints = [(ulong)(1000 + i), (ulong)(5000 + i)],
                AtUtcTicks = [at.AddMinutes(i).UtcTicks, at.AddDays(-1).AddMinutes(i).UtcTicks],
                Sums = [1, 1],
                Counts = [1, 1],
            });
            Assert.Empty(outcome.Duplicates);
        }
    }
}

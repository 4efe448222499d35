namespace Monitor.Grains.Tests;

/// <summary>Ends a grain's activation, as the silo's idle collection would, so a test can see what the next one loads.</summary>
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
}

namespace Monitor.Server.Tests.Infrastructure;

/// <summary>Waits for a condition by asking again and again until a deadline: the one place tests wait.</summary>
public static class Poll
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    /// <summary>Returns once <paramref name="condition"/> holds; fails the test, naming what was awaited, at the deadline.</summary>
    public static async Task Until(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"Gave up after {timeout.TotalSeconds:0.#} s waiting for {what}.");
            }

            await Task.Delay(Interval);
        }
    }
}

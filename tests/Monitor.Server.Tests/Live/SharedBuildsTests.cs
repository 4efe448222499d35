using System.Threading.Channels;
using Monitor.Server.Live;

namespace Monitor.Server.Tests.Live;

/// <summary>
/// Sharing a snapshot build among boards that subscribe together. The build is the caller's own function (the
/// seam), here one that finishes only when the test says, so "arrived while a build was running" is exact.
/// </summary>
public sealed class SharedBuildsTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly SharedBuilds<string, string> _shared = new();
    private readonly Channel<(string Key, TaskCompletionSource<string> Result)> _builds = Channel.CreateUnbounded<(string, TaskCompletionSource<string>)>();

    [Fact]
    public async Task Callers_arriving_while_a_build_runs_share_the_next_build_never_the_running_one()
    {
        var first = _shared.GetAsync("north", Build);
        var running = await NextBuild();

        // Asked while the first build may already have read: they must not get its result.
        var second = _shared.GetAsync("north", Build);
        var third = _shared.GetAsync("north", Build);
        Assert.False(_builds.Reader.TryRead(out _), "the next build waits for the running one");

        running.Result.SetResult("read before they asked");
        Assert.Equal("read before they asked", await first);
        var next = await NextBuild();
        Assert.False(second.IsCompleted);
        Assert.False(third.IsCompleted);

        next.Result.SetResult("read after they asked");
        Assert.Equal("read after they asked", await second);
        Assert.Equal("read after they asked", await third);

        // Nothing is kept: a caller after that gets a build of its own.
        var later = _shared.GetAsync("north", Build);
        var own = await NextBuild();
        own.Result.SetResult("fresh");
        Assert.Equal("fresh", await later);
    }

    [Fact]
    public async Task Areas_do_not_share_or_wait_for_each_other()
    {
        var north = _shared.GetAsync("north", Build);
        var south = _shared.GetAsync("south", Build);
        var builds = new[] { await NextBuild(), await NextBuild() };
        Assert.Equal(["north", "south"], builds.Select(b => b.Key).Order(StringComparer.Ordinal));

        builds.Single(b => b.Key == "south").Result.SetResult("south figures");
        Assert.Equal("south figures", await south);
        Assert.False(north.IsCompleted);
        builds.Single(b => b.Key == "north").Result.SetResult("north figures");
        Assert.Equal("north figures", await north);
    }

    [Fact]
    public async Task A_failed_build_fails_its_callers_and_the_next_build_is_tried_afresh()
    {
        var first = _shared.GetAsync("north", Build);
        var failing = await NextBuild();
        var second = _shared.GetAsync("north", Build);

        failing.Result.SetException(new TimeoutException("grain did not answer"));
        var error = await Assert.ThrowsAsync<TimeoutException>(() => first);
        Assert.Equal("grain did not answer", error.Message);

        var retry = await NextBuild();
        retry.Result.SetResult("figures");
        Assert.Equal("figures", await second);
    }

    private Task<string> Build(string key)
    {
        var result = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _builds.Writer.TryWrite((key, result));
        return result.Task;
    }

    private async Task<(string Key, TaskCompletionSource<string> Result)> NextBuild()
    {
        using var deadline = new CancellationTokenSource(Deadline);
        return await _builds.Reader.ReadAsync(deadline.Token);
    }
}

using Monitor.Grains.Storage;

namespace Monitor.Grains.Tests;

/// <summary>
/// The order a lifecycle grain's batches are stored in, with every first step and every commit held by the test,
/// so what is merged and what waits is decided here, not by which thread runs first. Each test runs off xunit's
/// synchronisation context (<see cref="Inline"/>), where a completed step's continuation runs at once on the
/// completing thread, as one grain turn would: each step below has run to its next await before the test goes on.
/// </summary>
public sealed class OrderedCommitTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly List<(IReadOnlyList<string> Changes, TaskCompletionSource Gate)> _commits = [];
    private readonly OrderedCommit<string> _ordered;

    public OrderedCommitTests() => _ordered = new(Hold);

    [Fact]
    public Task Batches_whose_first_steps_finished_while_a_commit_was_held_go_together_in_the_next_in_the_order_given() => Inline(async () =>
    {
        var (firstStep, secondStep, thirdStep) = (new TaskCompletionSource(), new TaskCompletionSource(), new TaskCompletionSource());
        var first = _ordered.Commit("first", firstStep.Task);
        var second = _ordered.Commit("second", secondStep.Task);
        var third = _ordered.Commit("third", thirdStep.Task);

        firstStep.SetResult();
        Assert.Equal(["first"], Assert.Single(_commits).Changes);

        // The later first steps finish in the reverse order, while the first commit is held.
        thirdStep.SetResult();
        secondStep.SetResult();
        Assert.Single(_commits);

        _commits[0].Gate.SetResult();
        await first.WaitAsync(Deadline);
        Assert.Equal(2, _commits.Count);
        Assert.Equal(["second", "third"], _commits[1].Changes);
        Assert.False(second.IsCompleted);

        _commits[1].Gate.SetResult();
        await Task.WhenAll(second, third).WaitAsync(Deadline);
        await _ordered.AllCommitted().WaitAsync(Deadline);
    });

    [Fact]
    public Task A_batch_ready_before_an_earlier_one_waits_for_it() => Inline(async () =>
    {
        var (firstStep, secondStep) = (new TaskCompletionSource(), new TaskCompletionSource());
        var first = _ordered.Commit("first", firstStep.Task);
        var second = _ordered.Commit("second", secondStep.Task);

        secondStep.SetResult();
        Assert.Empty(_commits);
        Assert.False(_ordered.AllCommitted().IsCompleted);

        firstStep.SetResult();
        Assert.Equal(["first", "second"], Assert.Single(_commits).Changes);
        _commits[0].Gate.SetResult();
        await Task.WhenAll(first, second).WaitAsync(Deadline);
    });

    [Fact]
    public Task A_failed_commit_fails_every_batch_given_after_it_and_refuses_the_next() => Inline(async () =>
    {
        var failure = new StoreUnavailableException("records unreachable (test)");
        var (firstStep, secondStep) = (new TaskCompletionSource(), new TaskCompletionSource());
        var first = _ordered.Commit("first", firstStep.Task);
        var second = _ordered.Commit("second", secondStep.Task);
        var all = _ordered.AllCommitted();

        firstStep.SetResult();
        _commits[0].Gate.SetException(failure);

        Assert.Same(failure, await Assert.ThrowsAsync<StoreUnavailableException>(() => first.WaitAsync(Deadline)));
        Assert.Same(failure, await Assert.ThrowsAsync<StoreUnavailableException>(() => second.WaitAsync(Deadline)));
        Assert.Same(failure, await Assert.ThrowsAsync<StoreUnavailableException>(() => all.WaitAsync(Deadline)));
        Assert.Same(failure, _ordered.Failure);

        // Its second step had not even finished: nothing after the failure is committed, now or later.
        secondStep.SetResult();
        await Assert.ThrowsAsync<StoreUnavailableException>(() => _ordered.Commit("third", Task.CompletedTask).WaitAsync(Deadline));
        Assert.Single(_commits);
    });

    [Fact]
    public Task A_failed_first_step_fails_its_batch_and_every_later_one_and_commits_none() => Inline(async () =>
    {
        var failure = new InvalidOperationException("facts not counted (test)");
        var (firstStep, secondStep) = (new TaskCompletionSource(), new TaskCompletionSource());
        var first = _ordered.Commit("first", firstStep.Task);
        var second = _ordered.Commit("second", secondStep.Task);

        secondStep.SetResult();
        firstStep.SetException(failure);

        Assert.Same(failure, await Assert.ThrowsAsync<InvalidOperationException>(() => first.WaitAsync(Deadline)));
        Assert.Same(failure, await Assert.ThrowsAsync<InvalidOperationException>(() => second.WaitAsync(Deadline)));
        Assert.Empty(_commits);
    });

    [Fact]
    public Task Everything_committed_is_answered_at_once_and_nothing_given_is_answered_early() => Inline(async () =>
    {
        await _ordered.AllCommitted().WaitAsync(Deadline);

        var step = new TaskCompletionSource();
        var only = _ordered.Commit("only", step.Task);
        var all = _ordered.AllCommitted();
        step.SetResult();
        Assert.False(all.IsCompleted);

        _commits[0].Gate.SetResult();
        await Task.WhenAll(only, all).WaitAsync(Deadline);
        await _ordered.AllCommitted().WaitAsync(Deadline);
    });

    private static Task Inline(Func<Task> test) => Task.Run(test);

    private Task Hold(IReadOnlyList<string> changes)
    {
        var gate = new TaskCompletionSource();
        _commits.Add((changes, gate));
        return gate.Task;
    }
}

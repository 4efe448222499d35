using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Monitor.Server.Tests.Infrastructure;

/// <summary>
/// This test process hosts many servers at once (test collections run in parallel), and the hosts' disposal
/// blocks pool threads on synchronous calls (the SignalR Redis backplane unsubscribes synchronously). With the
/// pool's minimum at the core count, those blocked threads can starve the very continuations they wait for
/// until the pool's slow growth catches up; a higher minimum lets the answers run.
/// </summary>
internal static class ThreadPoolWarmStart
{
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries", Justification = "A test assembly: the process is the test host.")]
    internal static void RaiseMinimum()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), Math.Max(io, 32));
    }
}

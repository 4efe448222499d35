using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Monitor.Security;
using Monitor.Server.Api;

namespace Monitor.Server.Hosting;

/// <summary>
/// Graceful shutdown of ingest. When the host starts stopping (SIGTERM, Ctrl-C, a rolling restart), this
/// process first refuses new batches with 503 (a feed keeps them and sends them to another copy), reports
/// not ready, and waits for the batches already in flight to be stored and answered; only then do the web
/// server and the silo stop (the silo leaving the cluster gracefully). Bounded by the host's shutdown timeout.
/// </summary>
public sealed partial class IngestDrain(ILogger<IngestDrain> logger) : IHostedLifecycleService
{
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;

    public bool Draining { get; private set; }

    /// <summary>Counts a batch in, or refuses it (false) once draining has begun.</summary>
    public bool TryEnter()
    {
        lock (_lock)
        {
            if (Draining)
            {
                return false;
            }

            _inFlight++;
            return true;
        }
    }

    public void Exit()
    {
        lock (_lock)
        {
            _inFlight--;
            if (Draining && _inFlight == 0)
            {
                _drained.TrySetResult();
            }
        }
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        int inFlight;
        lock (_lock)
        {
            Draining = true;
            inFlight = _inFlight;
            if (inFlight == 0)
            {
                _drained.TrySetResult();
            }
        }

        LogDraining(logger, inFlight);
        try
        {
            await _drained.Task.WaitAsync(cancellationToken);
            LogDrained(logger);
        }
        catch (OperationCanceledException)
        {
            LogDrainTimedOut(logger, _inFlight);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutting down: ingest refuses new batches with 503; waiting for {InFlight} batch(es) in flight")]
    private static partial void LogDraining(ILogger logger, int inFlight);

    [LoggerMessage(Level = LogLevel.Information, Message = "Every batch in flight was answered; stopping the server and leaving the cluster")]
    private static partial void LogDrained(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shutdown timeout reached with {InFlight} batch(es) still in flight; they are not acknowledged")]
    private static partial void LogDrainTimedOut(ILogger logger, int inFlight);
}

/// <summary>Not ready while draining, so a load balancer or Kubernetes stops sending traffic here.</summary>
public sealed class DrainReadinessCheck(IngestDrain drain) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(drain.Draining ? HealthCheckResult.Unhealthy("shutting down") : HealthCheckResult.Healthy("accepting"));
}

/// <summary>
/// Wraps POST /api/events: refuses a batch with 503 while draining, counts the batch in and out of
/// <see cref="IngestDrain"/>, and records what was answered in <see cref="MonitorMetrics"/>. The endpoint's own
/// code is untouched; this reads its result.
/// </summary>
public sealed class IngestGateFilter(IngestDrain drain, MonitorMetrics metrics) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var started = Stopwatch.GetTimestamp();
        var user = context.HttpContext.User;
        var feed = user.FindFirst(MonitorClaims.FeedKey)?.Value ?? "unknown";
        if (!drain.TryEnter())
        {
            metrics.BatchNotAcknowledged(feed, "draining", Stopwatch.GetElapsedTime(started));
            context.HttpContext.Response.Headers.RetryAfter = "1";
            return Results.Problem(
                title: "Shutting down",
                detail: "This server is shutting down; none of this batch is acknowledged. Send it again (to another server).",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        try
        {
            var result = await next(context);
            var elapsed = Stopwatch.GetElapsedTime(started);
            switch (result)
            {
                case IValueHttpResult { Value: IngestResponse answer }:
                    metrics.BatchAcknowledged(feed, user.FindFirst(MonitorClaims.Force)?.Value ?? "unknown", answer.Accepted, answer.Duplicates, answer.Rejected.Select(r => r.Error), elapsed);
                    break;
                case IStatusCodeHttpResult { StatusCode: StatusCodes.Status503ServiceUnavailable }:
                    metrics.BatchNotAcknowledged(feed, "unavailable", elapsed);
                    break;
                default:
                    metrics.BatchNotAcknowledged(feed, "refused", elapsed);
                    break;
            }

            return result;
        }
        finally
        {
            drain.Exit();
        }
    }
}

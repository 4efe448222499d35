using Microsoft.AspNetCore.SignalR;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Monitor.Server.Hosting;

/// <summary>
/// Metrics and traces (OpenTelemetry), the Prometheus scrape endpoint, and graceful shutdown of ingest.
/// Who may read <c>/metrics</c>: anyone who can reach the management port (<c>Monitor:Metrics:Port</c>), and
/// nobody on the public port, whatever their token. The figures name every force's feeds and volumes, so the
/// port is meant to be reachable only from inside the deployment (not published through the proxy); it is a
/// listener of its own that serves nothing else (docs/operations.md).
/// </summary>
public static class MonitorTelemetryExtensions
{
    /// <summary>The ASP.NET Core, SignalR and Orleans meters exported beside the monitor's own.</summary>
    public static IReadOnlyList<string> PlatformMeters { get; } =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Http.Connections",
        "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Diagnostics",
        "Microsoft.AspNetCore.RateLimiting",
        "Microsoft.AspNetCore.Authentication",
        "Microsoft.AspNetCore.Authorization",
        "Microsoft.Orleans",
    ];

    /// <summary>Traces: each HTTP request, and each grain call (Orleans activity propagation).</summary>
    public static IReadOnlyList<string> TraceSources { get; } =
    [
        "Microsoft.AspNetCore",
        "Microsoft.Orleans.Runtime",
        "Microsoft.Orleans.Application",
    ];

    public static WebApplicationBuilder AddMonitorTelemetry(this WebApplicationBuilder builder, MonitorOptions options)
    {
        var services = builder.Services;
        services.AddSingleton<MonitorMetrics>();
        services.AddSingleton<IngestDrain>();
        services.AddHostedService(sp => sp.GetRequiredService<IngestDrain>());
        services.AddSingleton<IngestGateFilter>();
        services.AddHealthChecks().AddCheck<DrainReadinessCheck>("draining", tags: ["ready"]);
        services.Configure<HubOptions>(o => o.AddFilter<HubConnectionsFilter>());
        services.AddSingleton<HubConnectionsFilter>();

        // Long enough for a batch in flight to be stored and the silo to hand its grains over and leave.
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(options.ShutdownTimeoutSeconds));

        // The OTLP exporter reads OTEL_EXPORTER_OTLP_ENDPOINT (and _PROTOCOL, _HEADERS) itself.
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        if (!otlp && options.Metrics.Port is null)
        {
            // Nothing would read them: no request or grain call pays for aggregating measurements.
            return builder;
        }

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(
                serviceName: builder.Configuration["OTEL_SERVICE_NAME"] ?? "monitor",
                serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(MonitorMetrics.MeterName).AddMeter([.. PlatformMeters]);
                if (options.Metrics.Port is { } port)
                {
                    var host = options.Metrics.Host;
                    metrics.AddPrometheusHttpListener(o =>
                    {
                        o.Port = port;

                        // The exporter's own prefix names localhost; "*" (every interface) is not a host name it
                        // can parse, so the prefix is replaced here, before the listener starts.
                        o.ConfigureHttpListener = (_, listener) =>
                        {
                            listener.Prefixes.Clear();
                            listener.Prefixes.Add($"http://{(host is "*" or "+" ? "+" : host)}:{port}/metrics/");
                        };
                    });
                }

                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        if (otlp)
        {
            // Traces only go somewhere with a collector; without one, no grain call pays for an activity.
            telemetry.WithTracing(tracing => tracing.AddSource([.. TraceSources]).AddOtlpExporter());
            builder.UseOrleans(silo => silo.AddActivityPropagation());
        }

        return builder;
    }

    /// <summary>Counts wallboard connections that were accepted, and their ends.</summary>
    public sealed class HubConnectionsFilter(MonitorMetrics metrics) : IHubFilter
    {
        public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
        {
            await next(context);
            metrics.HubConnected();
        }

        public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
        {
            metrics.HubDisconnected();
            await next(context, exception);
        }
    }
}

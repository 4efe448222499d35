using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Rewrite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Configuration;
using Orleans.Providers;
using Orleans.Storage;
using Monitor.Domain.Forces;
using Monitor.Grains;
using Monitor.Grains.Alerts;
using Monitor.Grains.Notifications;
using Monitor.Grains.Storage;
using Monitor.Server.Api;
using Monitor.Server.Auth;
using Monitor.Server.Demo;
using Monitor.Server.Hubs;
using Monitor.Server.Live;

namespace Monitor.Server.Hosting;

/// <summary>The host's registrations, so that Program.cs reads as the list of what the process is.</summary>
public static partial class MonitorHostingExtensions
{
    public static WebApplicationBuilder AddMonitor(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(MonitorOptions.Section).Get<MonitorOptions>() ?? new MonitorOptions();
        builder.Services.Configure<MonitorOptions>(builder.Configuration.GetSection(MonitorOptions.Section));

        var forces = ForceConfigurationLoader.LoadDirectory(options.ForcesPath ?? Path.Combine(AppContext.BaseDirectory, "config", "forces"));
        builder.Services.AddSingleton(new AlertSweepOptions(TimeSpan.FromSeconds(options.AlertSweepSeconds)));
        builder.Services.AddMonitorGrainServices(forces);
        builder.AddMonitorSecurity(options, forces);
        builder.AddMonitorSilo(options);
        builder.AddMonitorTelemetry(options);
        builder.Services.AddMonitorApi();
        builder.Services.AddMonitorHub(options.Hub);
        builder.Services.AddSingleton<LiveSnapshotService>();
        builder.Services.AddBoardStatus();
        builder.Services.AddSingleton<AlertActions>();

        builder.Services.AddHealthChecks()
            .AddCheck<ClusterReadinessCheck>("cluster", tags: ["ready"])
            .AddCheck<StorageReadinessCheck>("storage", tags: ["ready"]);

        if (options.Demo)
        {
            builder.Services.AddHostedService<DemoFeed>();
        }

        builder.Services.AddHostedService<StartupReport>();
        builder.Services.AddHostedService<PeriodCloserStarter>();
        return builder;
    }

    public static WebApplication MapMonitor(this WebApplication app)
    {
        app.UseMonitorSecurityHeaders();
        app.UseExceptionHandler();
        // Writes a problem body for every bare 4xx/5xx, the 401s and 403s of authentication included.
        app.UseStatusCodePages();
        // The page's files are public (they hold no data); everything after this needs a caller.
        // Pages also answer without ".html": the board's address on a TV, the links a board gives to /chart?...
        app.UseRewriter(new RewriteOptions().AddRewrite("^(board|chart|report)/?$", "$1.html", skipRemainingRules: true));
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseMonitorSecurity();

        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).AllowAnonymous();
        app.MapEventsApi();
        app.MapForcesApi();
        app.MapLiveApi();
        app.MapChartsApi();
        app.MapChartNotesApi();
        app.MapHistoryApi();
        app.MapAlertsApi();
        app.MapReportsApi();
        app.MapWallboardHub();
        return app;
    }

    private static void AddMonitorSilo(this WebApplicationBuilder builder, MonitorOptions options)
    {
        builder.Services.AddSingleton<ITileNotifier, SignalRTileNotifier>();
        builder.Services.AddSingleton<PushRepair>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<PushRepair>());
        if (!string.IsNullOrWhiteSpace(options.Redis))
        {
            builder.AddMonitorRedis(options, RedisHosting.Configuration(options.Redis));
            return;
        }

        if (options.Orleans.Kubernetes)
        {
            throw new MonitorConfigurationException("Monitor:Orleans:Kubernetes needs Monitor:Redis: the pods of a deployment find each other through Redis.");
        }

        builder.Services.AddSingleton<IMeasureJournal>(new InMemoryMeasureJournal(holdsSeries: true));
        builder.Services.AddSingleton<IRecordStore, InMemoryRecordStore>();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(options.Orleans.SiloPort, options.Orleans.GatewayPort, serviceId: options.Orleans.ServiceId, clusterId: options.Orleans.ClusterId);
            silo.AddMemoryGrainStorageAsDefault();

            // The in-memory store copies state through a serializer on every write: the form Redis stores too.
            silo.Services.AddOptions<MemoryGrainStorageOptions>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME)
                .Configure<Orleans.Serialization.Serializer>((o, serializer) => o.GrainStorageSerializer = new GrainStateSerializer(serializer));
            silo.UseInMemoryReminderService();
        });
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Monitor.Abstractions;
using Monitor.Domain.Alerts;
using Monitor.Domain.Forces;
using Monitor.Grains.Alerts;
using Monitor.Grains.Measures;
using Monitor.Grains.Notifications;
using Monitor.Grains.Storage;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.TestingHost;

namespace Monitor.Grains.Tests;

/// <summary>
/// A cluster whose stores fail a write when a test says so: the alert grain's own state, or the board's records.
/// An action either happened everywhere (alert, list, audit) or nowhere, and a retry goes through.
/// </summary>
public sealed class AlertStorageFailureTests : IAsyncLifetime
{
    private const string Force = "warwickshire";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly ForceCatalog _forces = ForceConfigurationLoader.LoadDirectory(ClusterFixture.ConfigDirectory());
    private readonly FailOnceGrainStorage _storage = new(new SharedGrainStorage(new ServiceCollection().AddMonitorSerialization().BuildServiceProvider().GetRequiredService<Serializer>()));
    private readonly FailOnceRecordStore _records = new(new InMemoryRecordStore());
    private InProcessTestCluster _cluster = null!;

    private IGrainFactory Grains => _cluster.GetSiloServiceProvider(_cluster.Silos[0].SiloAddress).GetRequiredService<IGrainFactory>();

    private IAlertBoardGrain Board => Grains.GetGrain<IAlertBoardGrain>(Force);

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 1);
        builder.ConfigureSilo((_, silo) => silo.ConfigureServices(services =>
        {
            services.AddMonitorTestSilo(_forces, _clock, new InMemoryMeasureJournal(), _records, new RecordingNotifier());
            services.AddGrainStorage("Default", (_, _) => _storage);
        }).UseInMemoryReminderService());
        builder.ConfigureClient(client => client.Services.AddMonitorSerialization());
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task An_acknowledgement_whose_write_fails_changes_nothing_and_the_retry_goes_through()
    {
        var (grain, id) = await RaiseAsync("lost-write");

        _storage.FailNextWrite(GrainId.Create("alert", AlertBoardGrain.GrainKey(Force, KeyOf("lost-write"))));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => grain.Acknowledge(id, "Sgt Patel", AlertRoles.Supervisor, "crew assigned"));

        // Nothing the user could take as done: the alert, the list and the audit all say unacknowledged.
        Assert.Equal(AlertState.ActiveUnacknowledged, (await Board.Find(id))!.State);
        Assert.DoesNotContain(await Board.Audit(), e => e.AlertId == id && e.Action == AlertAction.Acknowledged);

        var retry = await grain.Acknowledge(id, "Sgt Patel", AlertRoles.Supervisor, "crew assigned");

        Assert.Null(retry.Refusal);
        Assert.Equal(AlertState.ActiveAcknowledged, retry.Alert!.State);
        Assert.Equal(AlertState.ActiveAcknowledged, (await Board.Find(id))!.State);
        Assert.Single(await Board.Audit(), e => e.AlertId == id && e.Action == AlertAction.Acknowledged);
    }

    [Fact]
    public async Task An_acknowledgement_the_board_could_not_store_reaches_the_list_and_the_audit_once_at_the_next_tick()
    {
        var (grain, id) = await RaiseAsync("board-behind");

        _records.FailNextWrite("alert-board/" + Force);
        var acknowledged = await grain.Acknowledge(id, "Sgt Patel", AlertRoles.Supervisor, "crew assigned");

        // Stored by the alert: the action is done, and the board is told again at the next call or tick.
        Assert.Equal(AlertState.ActiveAcknowledged, acknowledged.Alert!.State);
        await grain.Tick();

        Assert.Equal(AlertState.ActiveAcknowledged, (await Board.Find(id))!.State);
        Assert.Single(await Board.Audit(), e => e.AlertId == id && e.Action == AlertAction.Acknowledged);
        Assert.Equal($"alert {id} is already acknowledged (by Sgt Patel)", (await grain.Acknowledge(id, "Sgt Patel", AlertRoles.Supervisor, "again")).Refusal);
    }

    [Fact]
    public async Task Once_the_silos_stop_has_waited_for_alert_work_a_change_is_stored_and_kept_for_the_board_instead_of_sent_to_it()
    {
        var (grain, id) = await RaiseAsync("stopping");
        await Work.StopAsync(CancellationToken.None);

        // The action is done (stored); the board, which the silo is about to deactivate, is not called.
        var acknowledged = await grain.Acknowledge(id, "Sgt Patel", AlertRoles.Supervisor, "crew assigned");
        Assert.Equal(AlertState.ActiveAcknowledged, acknowledged.Alert!.State);
        await grain.Tick();
        Assert.Equal(AlertState.ActiveUnacknowledged, (await Board.Find(id))!.State);
        Assert.DoesNotContain(await Board.Audit(), e => e.AlertId == id && e.Action == AlertAction.Acknowledged);
    }

    [Fact]
    public async Task Stopping_the_silo_waits_for_alert_work_in_flight_before_its_grains_are_deactivated()
    {
        var (_, id) = await RaiseAsync("in-flight");
        var work = Work;
        Assert.True(work.TrySweep());

        var stopping = _cluster.StopSiloAsync(_cluster.Silos[0]);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (work.TrySweep())
        {
            work.Exit();
            Assert.True(DateTime.UtcNow < deadline, "the silo's stop did not reach the alert work");
            await Task.Delay(10);
        }

        // The stop has begun and waits: no new sweep, but the board is still there, and a change made meanwhile (an
        // escalation falling due) still goes to it.
        Assert.False(stopping.IsCompleted);
        Assert.Equal(AlertState.ActiveUnacknowledged, (await Board.Find(id))!.State);
        Assert.True(work.TryDeliver());
        work.Exit();

        work.Exit();
        await stopping.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(work.TryDeliver());
    }

    [Fact]
    public async Task An_alert_whose_activation_ends_with_changes_the_board_has_not_taken_is_reminded_to_send_them()
    {
        var (grain, id) = await RaiseAsync("outbox-left");
        _records.FailNextWrite("alert-board/" + Force);
        await grain.Acknowledge(id, "Sgt Patel", AlertRoles.Supervisor, "crew assigned");
        Assert.Equal(AlertState.ActiveUnacknowledged, (await Board.Find(id))!.State);

        // The activation ends with the acknowledgement still in its outbox: a reminder is stored to bring it back.
        await Activations.CollectAsync(Grains, grain);
        var reminders = Silo.GetRequiredService<IReminderTable>();
        var grainId = GrainId.Create("alert", AlertBoardGrain.GrainKey(Force, KeyOf("outbox-left")));
        Assert.NotNull(await reminders.ReadRow(grainId, AlertGrain.DeliveryReminder));

        // The reminder comes (a minute later, on whichever silo runs the grain): the board has the acknowledgement and
        // its audit entry, and the reminder is gone.
        var now = _clock.GetUtcNow().UtcDateTime;
        await grain.AsReference<IRemindable>().ReceiveReminder(AlertGrain.DeliveryReminder, new TickStatus(now, TimeSpan.FromMinutes(1), now));
        Assert.Equal(AlertState.ActiveAcknowledged, (await Board.Find(id))!.State);
        Assert.Single(await Board.Audit(), e => e.AlertId == id && e.Action == AlertAction.Acknowledged);
        Assert.Null(await reminders.ReadRow(grainId, AlertGrain.DeliveryReminder));
    }

    [Fact]
    public async Task An_alert_whose_activation_ends_with_nothing_to_send_stores_no_reminder()
    {
        var (grain, _) = await RaiseAsync("outbox-empty");
        await Activations.CollectAsync(Grains, grain);
        var grainId = GrainId.Create("alert", AlertBoardGrain.GrainKey(Force, KeyOf("outbox-empty")));
        Assert.Null(await Silo.GetRequiredService<IReminderTable>().ReadRow(grainId, AlertGrain.DeliveryReminder));
    }

    [Fact]
    public async Task A_period_close_due_while_the_silo_stops_is_left_for_the_next_close_to_cover()
    {
        var closer = Grains.GetGrain<IPeriodCloserGrain>(Force);
        await closer.CloseNow();
        var closedAt = _clock.GetUtcNow();
        Assert.Equal(closedAt, await StoredLastCloseAsync());

        // Closing now would call alert grains the silo is about to deactivate; the stored close stays an hour old, so
        // the next close, wherever it runs, looks back over this hour's.
        await Work.StopAsync(CancellationToken.None);
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await closer.CloseNow());
        Assert.Equal(closedAt, await StoredLastCloseAsync());
    }

    private async Task<DateTimeOffset?> StoredLastCloseAsync()
    {
        var stored = new GrainState<PeriodCloserState>();
        await _storage.ReadStateAsync("period-closer", GrainId.Create("period-closer", Force), stored);
        return stored.State?.LastClosed;
    }

    private IServiceProvider Silo => _cluster.GetSiloServiceProvider(_cluster.Silos[0].SiloAddress);

    private AlertWork Work => _cluster.GetSiloServiceProvider(_cluster.Silos[0].SiloAddress).GetRequiredService<AlertWork>();

    private static AlertKey KeyOf(string feed) => AlertKey.ForFeed("warwickshire", feed);

    private async Task<(IAlertGrain Grain, string Id)> RaiseAsync(string feed)
    {
        var key = KeyOf(feed);
        var grain = Grains.GetGrain<IAlertGrain>(AlertBoardGrain.GrainKey(Force, key));
        await grain.Observe(new AlertCondition(key, AlertSource.FeedQuiet, AlertLevel.Warning, 11, "quiet for 11 minutes"));
        var id = key.AlertId(1);
        Assert.Equal(AlertState.ActiveUnacknowledged, (await Board.Find(id))!.State);
        return (grain, id);
    }
}

using Microsoft.AspNetCore.SignalR;
using Monitor.Server.Api;
using Monitor.Server.Auth;
using Monitor.Server.Hosting;
using Monitor.Server.Live;

namespace Monitor.Server.Hubs;

/// <summary>
/// The wallboard's live channel. A board subscribes to an area and gets its snapshot back; from then on the
/// server sends <c>tiles</c> as figures change. Each tile carries its measure's version, so a board that
/// sees a gap asks for the snapshot again. Connecting needs a reader's token (the Read policy, on the map);
/// each call is checked against the caller's force here, since a hub call has no route to authorize.
/// </summary>
public sealed class WallboardHub(
    LiveSnapshotService live, HubSubscriptions subscriptions, BoardConnections boards, WallboardHubOptions limits, AlertActions alerts, BoardStatusService status)
    : Hub
{
    public static string GroupOf(string force, string area) => $"{force}/{area}";

    public async Task<LiveSnapshot> Subscribe(string force, string area)
    {
        RequireForce(force);
        if (string.IsNullOrEmpty(area))
        {
            throw new HubException("An area is required.");
        }

        if (live.Problem(force, area) is { } problem)
        {
            throw new HubException(problem);
        }

        var group = GroupOf(force, area);
        if (!subscriptions.TryAdd(Context.ConnectionId, group, limits.MaxSubscriptionsPerConnection))
        {
            throw new HubException(
                $"This connection already follows {limits.MaxSubscriptionsPerConnection} areas, the most allowed; unsubscribe from one first.");
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, group);
        return await live.GetAsync(force, area);
    }

    /// <summary>The server's clock and health now; the same as the <c>status</c> push every board hears on a beat.</summary>
    public Task<BoardStatus> Status() => status.CurrentAsync(Context.ConnectionAborted);

    public async Task Unsubscribe(string force, string area)
    {
        RequireForce(force);
        var group = GroupOf(force, area);
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, group);
        subscriptions.Remove(Context.ConnectionId, group);
    }

    /// <summary>A supervisor acknowledges from the board; every board of the force hears it as an <c>alert</c> push.</summary>
    [Microsoft.AspNetCore.Authorization.Authorize(Policy = MonitorPolicies.Acknowledge)]
    public async Task<Monitor.Domain.Alerts.Alert> Acknowledge(string force, string? alertId, string? note)
    {
        RequireForce(force);
        if (string.IsNullOrEmpty(alertId))
        {
            throw new HubException("An alert id is required.");
        }

        var (result, notFound, unavailable) = await alerts.ActAsync(force, alertId, Context.User!, (grain, who, role) => grain.Acknowledge(alertId, who, role, note));
        if ((notFound ?? unavailable) is { } problem)
        {
            throw new HubException(problem);
        }

        return result!.Refusal is { } refusal ? throw new HubException(refusal) : result.Alert!;
    }

    public override Task OnConnectedAsync()
    {
        boards.Add(Context.ConnectionId);
        return base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        boards.Remove(Context.ConnectionId);
        subscriptions.Forget(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    private void RequireForce(string force)
    {
        if (!ForceScope.Allows(Context.User, force))
        {
            // Same answer whether or not the force exists: a token for one force learns nothing of another.
            throw new HubException("Forbidden: this token does not give access to that force.");
        }
    }
}

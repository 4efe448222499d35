using Microsoft.AspNetCore.SignalR;
using Monitor.Server.Api;
using Monitor.Server.Live;

namespace Monitor.Server.Hubs;

/// <summary>
/// The wallboard's live channel. A board subscribes to an area and gets its snapshot back; from then on the
/// server sends <c>tiles</c> as figures change. Each tile carries its measure's version, so a board that
/// sees a gap asks for the snapshot again.
/// </summary>
public sealed class WallboardHub(LiveSnapshotService live) : Hub
{
    public static string GroupOf(string force, string area) => $"{force}/{area}";

    public async Task<LiveSnapshot> Subscribe(string force, string area)
    {
        if (live.Problem(force, area) is { } problem)
        {
            throw new HubException(problem);
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, GroupOf(force, area));
        return await live.GetAsync(force, area);
    }

    public Task Unsubscribe(string force, string area) =>
        Groups.RemoveFromGroupAsync(Context.ConnectionId, GroupOf(force, area));
}

namespace Monitor.Server.Hubs;

/// <summary>
/// Whether any board anywhere follows an area's group, so that pushes nobody would receive are not sent. A
/// group it has not heard of counts as followed until it knows better: a wrong "no" would hide a change from a
/// board, a wrong "yes" only costs a send.
/// </summary>
public interface IBoardAudience
{
    bool MayHaveBoards(string group);

    /// <summary>Raised, after <see cref="MayHaveBoards"/> says so, when a group no board followed gains one.</summary>
    event Action<string>? Followed;
}

/// <summary>One server, no backplane: a send to a group without boards is a look-up that finds nobody, so every group counts as followed.</summary>
public sealed class EveryGroupFollowed : IBoardAudience
{
    public bool MayHaveBoards(string group) => true;

    public event Action<string>? Followed
    {
        add { }
        remove { }
    }
}

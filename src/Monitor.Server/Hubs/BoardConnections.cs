namespace Monitor.Server.Hubs;

/// <summary>
/// The boards connected to this server, spread evenly over <see cref="Slices"/> slices, so the status beat can go
/// to one slice at a time: each board still hears one beat a period, but thousands of boards are not all written
/// to in the same instant (a burst the pushes of that moment would wait behind), and in a cluster each board hears
/// only the server it is connected to (a beat through the backplane reached every board from every server, so a
/// degraded server's beat was heard on boards of healthy ones).
/// </summary>
public sealed class BoardConnections
{
    public const int Slices = 10;

    private readonly Lock _lock = new();
    private readonly HashSet<string>[] _slices = [.. Enumerable.Range(0, Slices).Select(_ => new HashSet<string>(StringComparer.Ordinal))];
    private readonly Dictionary<string, int> _sliceOf = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _sliceOf.Count;
            }
        }
    }

    /// <summary>Adds a connection to the smallest slice, so slices stay even as boards come and go.</summary>
    public void Add(string connectionId)
    {
        lock (_lock)
        {
            if (_sliceOf.ContainsKey(connectionId))
            {
                return;
            }

            var smallest = 0;
            for (var i = 1; i < Slices; i++)
            {
                if (_slices[i].Count < _slices[smallest].Count)
                {
                    smallest = i;
                }
            }

            _slices[smallest].Add(connectionId);
            _sliceOf.Add(connectionId, smallest);
        }
    }

    public void Remove(string connectionId)
    {
        lock (_lock)
        {
            if (_sliceOf.Remove(connectionId, out var slice))
            {
                _slices[slice].Remove(connectionId);
            }
        }
    }

    /// <summary>The connections of one slice now (a copy: boards may come and go while it is sent to).</summary>
    public string[] InSlice(int slice)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slice);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slice, Slices);
        lock (_lock)
        {
            return [.. _slices[slice]];
        }
    }
}

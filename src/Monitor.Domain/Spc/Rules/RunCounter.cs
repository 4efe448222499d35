namespace Monitor.Domain.Spc;

/// <summary>
/// Rule 4: the length of the run of points on one side of the mean ending at the latest point. A point
/// exactly on the mean ends the run and starts none.
/// </summary>
internal struct RunCounter
{
    public Side Side { get; private set; }

    public int Length { get; private set; }

    public int Start { get; private set; }

    public void Add(int index, Side side)
    {
        if (side == Side.None)
        {
            Side = Side.None;
            Length = 0;
            Start = index + 1;
        }
        else if (side == Side)
        {
            Length++;
        }
        else
        {
            Side = side;
            Length = 1;
            Start = index;
        }
    }
}

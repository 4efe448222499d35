using Monitor.Domain.Events;
using Monitor.Domain.Forces;

namespace Monitor.Domain.Simulation;

/// <summary>
/// A deterministic (seeded) feed of the force's three streams: calls, emergency response and recorded crime
/// and incidents, with hour-of-day, day-of-week and month-of-year shapes, and optional scenarios. Time only
/// moves when <see cref="Advance"/> is called, so the same seed, scenarios and calls give the same events; steps
/// that come later in an event's life (an answer, an arrival) wait in a queue until their time.
/// </summary>
public sealed class FeedSimulator
{
    // Relative demand by hour of day (control rooms are quiet before dawn, busiest in the evening).
    private static readonly double[] HourShape = Normalise(
    [
        0.60, 0.50, 0.40, 0.35, 0.30, 0.35, 0.50, 0.75, 0.95, 1.05, 1.10, 1.15,
        1.15, 1.15, 1.20, 1.25, 1.30, 1.35, 1.40, 1.35, 1.30, 1.20, 1.00, 0.80,
    ]);

    // Relative demand by local day of week, Monday first: Friday and Saturday nights carry the most incidents.
    private static readonly double[] DayShape = Normalise([0.97, 0.95, 0.96, 0.98, 1.05, 1.08, 1.01]);

    // Relative demand by month, January first: a mild summer high and a late-winter low. Scaled so July to
    // September average 1, since the profile's rates are that quarter's; August is the highest of the three,
    // as in the report (3,650, 3,766 and 3,670 crimes).
    private static readonly double[] MonthShape = ScaleToThirdQuarter(
        [0.975, 0.975, 0.995, 0.995, 1.015, 1.015, 1.005, 1.02, 1.005, 1.01, 1.0, 0.99]);

    private readonly ForceDefinition _force;
    private readonly SimulationProfile _profile;
    private readonly Random _random;
    private readonly PriorityQueue<MonitorEvent, (DateTimeOffset At, long Order)> _later = new();
    private readonly List<Stream> _streams = [];
    private readonly List<SimulationScenario> _scenarios;
    private long _sequence;
    private DateTimeOffset _now;
    private readonly double[] _cumulative;
    private readonly Dictionary<string, (string Marker, double Share)[]> _markersByDistrict;
    private double _shape;
    private DateTimeOffset _shapeFrom = DateTimeOffset.MaxValue;
    private DateTimeOffset _shapeUntil = DateTimeOffset.MinValue;

    public FeedSimulator(ForceDefinition force, SimulationProfile profile, int seed, DateTimeOffset start, IReadOnlyList<SimulationScenario>? scenarios = null)
    {
        _force = force;
        _profile = profile;
        _random = new Random(seed);
        _now = start;
        _scenarios = [.. scenarios ?? []];
        BuildStreams();
        _cumulative = new double[_streams.Count];
        _markersByDistrict = MarkersByDistrict(force, profile);
    }

    /// <summary>The simulator's clock: every event before it has been returned.</summary>
    public DateTimeOffset Now => _now;

    /// <summary>Multiplies every volume (a demo that must visibly move runs faster than life).</summary>
    public double Intensity { get; set; } = 1;

    /// <summary>
    /// Switches a scenario on from now (a live demo fires them as it goes). Its effects before the simulator's
    /// clock are lost: the past is already sent.
    /// </summary>
    public void AddScenario(SimulationScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        _scenarios.Add(scenario);
    }

    /// <summary>Every event with a time in [now, until), in time order; the simulator's clock moves to <paramref name="until"/>.</summary>
    public IReadOnlyList<MonitorEvent> Advance(DateTimeOffset until)
    {
        // A clock that steps back (a wall clock corrected by NTP) must not rewind the simulation: the minutes
        // since would be simulated twice, and their events returned again out of order.
        if (until <= _now)
        {
            return [];
        }

        foreach (var scenario in _scenarios)
        {
            foreach (var injected in scenario.Inject(_force.Id, _now, until))
            {
                Schedule(injected);
            }
        }

        for (var minute = _now; minute < until; minute = minute.AddMinutes(1))
        {
            var end = minute.AddMinutes(1) < until ? minute.AddMinutes(1) : until;
            var fraction = (end - minute).TotalMinutes;
            var shape = ShapeAt(minute);
            var total = 0.0;
            for (var s = 0; s < _streams.Count; s++)
            {
                var rate = _streams[s].PerMinute * shape * fraction * Intensity;
                foreach (var scenario in _scenarios)
                {
                    rate *= scenario.RateFactor(_streams[s].Key, minute);
                }

                total += rate;
                _cumulative[s] = total;
            }

            // Independent Poisson streams are one Poisson count of their summed rate, each event then falling to a
            // stream in proportion to its rate: one draw a minute instead of one per stream (years in seconds).
            var count = Poisson(total);
            for (var i = 0; i < count; i++)
            {
                _streams[StreamAt(_random.NextDouble() * total)].Emit(minute + TimeSpan.FromSeconds(_random.NextDouble() * fraction * 60));
            }
        }

        _now = until;
        var due = new List<MonitorEvent>();
        while (_later.TryPeek(out _, out var key) && key.At < until)
        {
            var e = _later.Dequeue();
            if (!_scenarios.Any(s => s.Suppresses(e)))
            {
                due.Add(e);
            }
        }

        // Every event timed inside a finished scenario has been returned (or suppressed): it has no more effect,
        // and a demo that fires one every few minutes must not check thousands of them a minute.
        _scenarios.RemoveAll(s => s.End <= until);
        return due;
    }

    private void BuildStreams()
    {
        var minutesPerQuarter = _profile.QuarterDays * 24.0 * 60.0;
        foreach (var (channel, call) in _profile.Calls)
        {
            _streams.Add(new Stream(new StreamKey(Feed.Calls, channel, null), call.PerQuarter / minutesPerQuarter, at => EmitCall(at, channel, call)));
        }

        foreach (var (grade, incident) in _profile.Incidents)
        {
            _streams.Add(new Stream(new StreamKey(Feed.Incidents, grade, null), incident.PerQuarter / minutesPerQuarter, at => EmitIncident(at, grade, incident)));
        }

        foreach (var (category, byDistrict) in _profile.CrimesPerQuarter)
        {
            foreach (var (district, perQuarter) in byDistrict)
            {
                _streams.Add(new Stream(new StreamKey(Feed.Crimes, category, district), perQuarter / minutesPerQuarter, at => EmitCrime(at, district, category)));
            }
        }

        foreach (var (category, byArea) in _profile.RecordedIncidentsPerQuarter)
        {
            foreach (var (area, perQuarter) in byArea)
            {
                _streams.Add(new Stream(new StreamKey(Feed.Recorded, category, area), perQuarter / minutesPerQuarter, at => EmitRecorded(at, area, category)));
            }
        }
    }

    private void EmitCall(DateTimeOffset at, string channel, CallProfile call)
    {
        var callId = $"CALL-{channel}-{++_sequence}";
        Schedule(new CallOffered(NextId(), _force.Id, at, callId, channel));
        if (_random.NextDouble() < call.AbandonedShare)
        {
            Schedule(new CallAbandoned(NextId(), _force.Id, at.AddSeconds(5 + (_random.NextDouble() * 115)), callId, channel));
            return;
        }

        // Exponential answer times with P(answer <= target) = the service level aimed at; a scenario (a surge
        // the room cannot keep up with) stretches them.
        var mean = -call.TargetSeconds / Math.Log(1 - call.WithinTargetShare);
        var seconds = -mean * Math.Log(1 - _random.NextDouble());
        foreach (var scenario in _scenarios)
        {
            seconds *= scenario.AnswerTimeFactor(channel, at);
        }

        Schedule(new CallAnswered(NextId(), _force.Id, at.AddSeconds(seconds), callId, channel));
    }

    private void EmitIncident(DateTimeOffset at, string grade, IncidentProfile incident)
    {
        var incidentId = $"INC-{++_sequence}";
        var district = PickDistrict(null);
        var standard = grade == "priority" ? _force.Priority : _force.Emergency;
        var graded = at.AddSeconds(30 + (_random.NextDouble() * 60));
        Schedule(new IncidentCreated(NextId(), _force.Id, at, incidentId, district, grade, null));
        Schedule(new IncidentGraded(NextId(), _force.Id, graded, incidentId, grade));

        // The response is timed from grading, the force's default clock start, so the calibrated share within
        // the standard is the share the monitor measures.
        var response = LogNormalMinutes(incident.MeanResponseMinutes, standard.TargetMinutes, incident.WithinTargetShare);
        var dispatch = Math.Min(response * 0.2, 3);
        Schedule(new IncidentDispatched(NextId(), _force.Id, graded.AddMinutes(dispatch), incidentId));
        Schedule(new IncidentArrived(NextId(), _force.Id, graded.AddMinutes(response), incidentId));
        Schedule(new IncidentClosed(NextId(), _force.Id, graded.AddMinutes(response + 20 + (_random.NextDouble() * 60)), incidentId));
    }

    private void EmitCrime(DateTimeOffset at, string district, string category)
    {
        // One draw per marker whatever the shares, so a district's shares change only its crimes' markers.
        var markers = _markersByDistrict[district].Where(m => _random.NextDouble() < m.Share).Select(m => m.Marker).ToList();
        Schedule(new CrimeRecorded(NextId(), _force.Id, at, $"CRM-{++_sequence}", district, category, markers));
    }

    /// <summary>Each district's marker shares, in the force-wide order: its nearest area's own where the profile has them.</summary>
    private static Dictionary<string, (string Marker, double Share)[]> MarkersByDistrict(ForceDefinition force, SimulationProfile profile)
    {
        var byArea = profile.MarkerSharesByArea ?? [];
        foreach (var area in byArea.Keys.Where(a => force.FindArea(a) is null))
        {
            throw new InvalidDataException($"simulation profile of '{profile.Force}': markerSharesByArea names '{area}', which is not an area of the force");
        }

        return force.Areas.Where(a => a.Level == AreaLevel.District).ToDictionary(
            d => d.Id,
            d =>
            {
                var own = force.Lineage(d.Id).Select(a => byArea.GetValueOrDefault(a.Id)).FirstOrDefault(s => s is not null);
                return profile.MarkerShares.Select(m => (m.Key, own?.GetValueOrDefault(m.Key, m.Value) ?? m.Value)).ToArray();
            },
            StringComparer.Ordinal);
    }

    private void EmitRecorded(DateTimeOffset at, string area, string category) =>
        Schedule(new IncidentRecorded(NextId(), _force.Id, at, $"REC-{++_sequence}", PickDistrict(area), category, null, []));

    /// <summary>A district of the area (or of the force), chosen in proportion to population.</summary>
    private string PickDistrict(string? areaId)
    {
        var districts = _force.Areas
            .Where(a => a.Level == AreaLevel.District && (areaId is null || a.ParentId == areaId))
            .ToList();
        var pick = _random.NextDouble() * districts.Sum(d => d.Population);
        foreach (var district in districts)
        {
            pick -= district.Population;
            if (pick < 0)
            {
                return district.Id;
            }
        }

        return districts[^1].Id;
    }

    /// <summary>A log-normal duration with the given mean and P(duration <= target) = share.</summary>
    private double LogNormalMinutes(double mean, double target, double share)
    {
        var z = Probit(share);
        var sigma = z - Math.Sqrt(Math.Max(z * z - (2 * Math.Log(target / mean)), 0));
        var mu = Math.Log(mean) - (sigma * sigma / 2);
        return Math.Exp(mu + (sigma * Normal()));
    }

    private double Normal() =>
        Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());

    /// <summary>The demand shape (hour of day, day of week, month) at an instant; the local time is read once an hour.</summary>
    private double ShapeAt(DateTimeOffset at)
    {
        if (at < _shapeFrom || at >= _shapeUntil)
        {
            var local = TimeZoneInfo.ConvertTime(at, _force.TimeZone);
            _shape = HourShape[local.Hour] * DayShape[((int)local.DayOfWeek + 6) % 7] * MonthShape[local.Month - 1];
            _shapeFrom = at - new TimeSpan(0, local.Minute, local.Second, local.Millisecond, local.Microsecond);
            _shapeUntil = _shapeFrom.AddHours(1);
        }

        return _shape;
    }

    /// <summary>The stream whose share of the summed rate holds <paramref name="pick"/> (in [0, total)).</summary>
    private int StreamAt(double pick)
    {
        int low = 0, high = _streams.Count - 1;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (pick < _cumulative[middle])
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low;
    }

    private int Poisson(double lambda)
    {
        // Knuth's product of uniforms needs e^-lambda to stay a normal double.
        if (lambda > 500)
        {
            var half = lambda / 2;
            return Poisson(half) + Poisson(half);
        }

        var limit = Math.Exp(-lambda);
        var count = 0;
        for (var p = _random.NextDouble(); p > limit; p *= _random.NextDouble())
        {
            count++;
        }

        return count;
    }

    private void Schedule(MonitorEvent e) => _later.Enqueue(e, (e.At, _sequence++));

    private string NextId() => $"sim-{++_sequence}";

    /// <summary>The standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9).</summary>
    private static double Probit(double p)
    {
        double[] a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.3577518672690, -30.66479806614716, 2.506628277459239];
        double[] b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
        double[] c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
        double[] d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
        if (p < 0.02425)
        {
            var q = Math.Sqrt(-2 * Math.Log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }

        if (p > 1 - 0.02425)
        {
            return -Probit(1 - p);
        }

        var r = p - 0.5;
        var s = r * r;
        return (((((a[0] * s + a[1]) * s + a[2]) * s + a[3]) * s + a[4]) * s + a[5]) * r / (((((b[0] * s + b[1]) * s + b[2]) * s + b[3]) * s + b[4]) * s + 1);
    }

    private static double[] Normalise(double[] weights)
    {
        var mean = weights.Average();
        return [.. weights.Select(w => w / mean)];
    }

    private static double[] ScaleToThirdQuarter(double[] weights)
    {
        var mean = (weights[6] + weights[7] + weights[8]) / 3;
        return [.. weights.Select(w => w / mean)];
    }

    private sealed record Stream(StreamKey Key, double PerMinute, Action<DateTimeOffset> Emit);
}

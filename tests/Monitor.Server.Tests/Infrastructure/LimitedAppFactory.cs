using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Monitor.Grains.Storage;

namespace Monitor.Server.Tests.Infrastructure;

/// <summary>A server with low limits (people's rate, hub subscriptions) and a storage that can be told to fail like a bug.</summary>
public sealed class LimitedAppFactory : MonitorAppFactory
{
    public const int UserLimit = 5;

    public const int SubscriptionLimit = 3;

    public DefectiveJournal Journal { get; } = DefectiveJournal.Create();

    protected override int UserRequestsPerMinute => UserLimit;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Monitor:Hub:MaxSubscriptionsPerConnection", SubscriptionLimit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.ConfigureTestServices(services => services.AddSingleton(Journal.AsJournal()));
    }

    /// <summary>
    /// The in-memory journal, except that <c>IsDurable</c> throws while <see cref="Broken"/>: a defect, not an
    /// outage. A proxy forwards every other member, so the journal's interface may grow without touching this.
    /// </summary>
    public class DefectiveJournal : DispatchProxy
    {
        private IMeasureJournal _inner = new InMemoryMeasureJournal();

        public bool Broken { get; set; }

        public static DefectiveJournal Create()
        {
            var proxy = (DefectiveJournal)(object)Create<IMeasureJournal, DefectiveJournal>();
            proxy._inner = new InMemoryMeasureJournal();
            return proxy;
        }

        public IMeasureJournal AsJournal() => (IMeasureJournal)(object)this;

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            if (Broken && targetMethod.Name == "get_" + nameof(IMeasureJournal.IsDurable))
            {
                throw new InvalidOperationException("simulated defect: secret internal detail");
            }

            try
            {
                return targetMethod.Invoke(_inner, args);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                throw;
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class LimitsCollection : ICollectionFixture<LimitedAppFactory>
{
    public const string Name = "limits";
}

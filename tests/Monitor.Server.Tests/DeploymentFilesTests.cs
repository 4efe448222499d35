using System.Reflection;
using System.Text.RegularExpressions;
using Monitor.Server.Hosting;
using YamlDotNet.RepresentationModel;

namespace Monitor.Server.Tests;

/// <summary>
/// The deployment files, read as the tools would read them (there is no Docker engine or Kubernetes here):
/// docker-compose.yml, deploy/Dockerfile, deploy/nginx.conf, deploy/k8s/*.yaml, and deploy/cluster.env, the
/// settings shared with deploy/local-cluster.sh. Every Monitor setting they name must be one the server reads.
/// </summary>
public sealed class DeploymentFilesTests
{
    private static readonly string Root = LocalClusterTests.RepositoryRoot();

    private static string Read(params string[] path) => File.ReadAllText(Path.Combine([Root, .. path]));

    [Fact]
    public void Cluster_env_is_plain_settings_the_server_reads_and_names_one_cluster()
    {
        var shared = ClusterEnv();
        Assert.Equal("monitor", shared["Monitor__Orleans__ClusterId"]);
        Assert.True(shared.ContainsKey("Monitor__Orleans__ServiceId"));
        Assert.Equal("json", shared["Logging__Console__FormatterName"]);
        Assert.All(shared.Keys.Where(k => k.StartsWith("Monitor__", StringComparison.Ordinal)), AssertServerSetting);
        Assert.All(shared.Values, v => Assert.DoesNotMatch(@"[\s""']", v));
    }

    [Fact]
    public void Compose_runs_three_copies_of_one_cluster_on_redis_with_aof_behind_a_websocket_proxy()
    {
        var services = Map(LoadYaml("docker-compose.yml").Single(), "services");
        var monitors = services.Children.Where(s => Scalar(s.Key).StartsWith("monitor-", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, monitors.Count);

        var redisCommand = string.Join(' ', Seq(Map(services, "redis"), "command").Select(Scalar));
        Assert.Contains("--appendonly yes", redisCommand, StringComparison.Ordinal);
        Assert.Contains("--appendfsync always", redisCommand, StringComparison.Ordinal);

        // The local cluster script starts its Redis with the same durability.
        var script = Read("deploy", "local-cluster.sh");
        Assert.Contains("--appendonly yes --appendfsync always", script, StringComparison.Ordinal);

        foreach (var (name, node) in monitors.Select(m => (Scalar(m.Key), (YamlMappingNode)m.Value)))
        {
            // Shared settings from the one file both use; none overridden here.
            Assert.Equal("deploy/cluster.env", Scalar(node["env_file"]));
            var environment = Map(node, "environment");
            var keys = environment.Children.Keys.Select(Scalar).ToList();
            Assert.DoesNotContain(keys, k => ClusterEnv().ContainsKey(k));
            Assert.Equal("redis:6379", Scalar(environment["Monitor__Redis"]));
            Assert.All(keys.Where(k => k.StartsWith("Monitor__", StringComparison.Ordinal)), AssertServerSetting);
            Assert.Contains("${MONITOR_SIGNING_KEY:?", Scalar(environment["Monitor__Auth__SigningKey"]), StringComparison.Ordinal);

            var health = string.Join(' ', Seq(Map(node, "healthcheck"), "test").Select(Scalar));
            Assert.Matches("/(readyz|healthz)", health);
            Assert.Equal("redis", Map(node, "depends_on").Children.Keys.Select(Scalar).First());

            // Only the proxy is published: the management port (metrics) and the silo ports stay inside.
            Assert.False(node.Children.ContainsKey("ports"), $"{name} publishes ports");
        }

        var proxy = Map(services, "proxy");
        Assert.Contains(Seq(proxy, "volumes").Select(Scalar), v => v.StartsWith("./deploy/nginx.conf:", StringComparison.Ordinal));
        Assert.Single(Seq(proxy, "ports"));

        // The proxy's upstreams are exactly the three copies.
        var upstreams = Nginx.Parse(Read("deploy", "nginx.conf")).Single(d => d.Name == "http").Children!.Where(d => d.Name == "upstream").ToList();
        Assert.NotEmpty(upstreams);
        foreach (var upstream in upstreams)
        {
            var servers = upstream.Children!.Where(d => d.Name == "server").Select(d => d.Args[0]).Order(StringComparer.Ordinal);
            Assert.Equal(monitors.Select(m => Scalar(m.Key) + ":8080").Order(StringComparer.Ordinal), servers);
        }
    }

    [Fact]
    public void Nginx_upgrades_websockets_on_the_hub_keeps_a_board_on_one_copy_and_never_serves_metrics()
    {
        var http = Nginx.Parse(Read("deploy", "nginx.conf")).Single(d => d.Name == "http");
        var map = http.Children!.Single(d => d.Name == "map");
        Assert.Equal(["$http_upgrade", "$connection_upgrade"], map.Args);

        var server = http.Children!.Single(d => d.Name == "server");
        var hub = server.Children!.Single(d => d.Name == "location" && d.Args.SequenceEqual(["/hubs/"]));
        Assert.Contains(hub.Children!, d => d.Name == "proxy_http_version" && d.Args.SequenceEqual(["1.1"]));
        Assert.Contains(hub.Children!, d => d.Name == "proxy_set_header" && d.Args.SequenceEqual(["Upgrade", "$http_upgrade"]));
        Assert.Contains(hub.Children!, d => d.Name == "proxy_set_header" && d.Args.SequenceEqual(["Connection", "$connection_upgrade"]));

        // Negotiate and connect reach the same copy.
        var hubUpstream = hub.Children!.Single(d => d.Name == "proxy_pass").Args[0]["http://".Length..];
        Assert.Contains(http.Children!.Single(d => d.Name == "upstream" && d.Args[0] == hubUpstream).Children!, d => d.Name is "hash" or "ip_hash" or "sticky");

        var metrics = server.Children!.Single(d => d.Name == "location" && d.Args.SequenceEqual(["=", "/metrics"]));
        Assert.Equal(["404"], metrics.Children!.Single(d => d.Name == "return").Args);
    }

    [Fact]
    public void Dockerfile_builds_with_npm_in_one_stage_and_runs_unprivileged_with_a_health_check()
    {
        var lines = Read("deploy", "Dockerfile").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var stages = lines.Select((l, i) => (l, i)).Where(x => x.l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        Assert.True(stages.Count >= 2, "multi-stage");
        Assert.Contains("dotnet/sdk", stages[0].l, StringComparison.Ordinal);
        var build = lines.Skip(stages[0].i).Take(stages[1].i - stages[0].i).ToList();
        Assert.Contains(build, l => l.Contains("npm", StringComparison.Ordinal) && l.Contains("install", StringComparison.Ordinal));

        var runtime = lines.Skip(stages[^1].i).ToList();
        Assert.Contains("dotnet/aspnet", runtime[0], StringComparison.Ordinal);
        Assert.Contains(runtime, l => l.StartsWith("COPY --from=build", StringComparison.Ordinal));
        var user = runtime.Last(l => l.StartsWith("USER ", StringComparison.Ordinal))["USER ".Length..];
        Assert.DoesNotMatch("^(root|0)(:.*)?$", user);
        Assert.True(runtime.FindIndex(l => l.StartsWith("USER ", StringComparison.Ordinal)) < runtime.FindIndex(l => l.StartsWith("ENTRYPOINT", StringComparison.Ordinal)));
        var health = string.Join(' ', runtime.SkipWhile(l => !l.StartsWith("HEALTHCHECK", StringComparison.Ordinal)).Take(2));
        Assert.Matches("http://localhost:8080/(healthz|readyz)", health);
        Assert.Contains(runtime, l => l.Contains("Monitor.Server.dll", StringComparison.Ordinal) && l.StartsWith("ENTRYPOINT", StringComparison.Ordinal));

        // The metrics port the image opens is the one every copy is configured with.
        Assert.Contains($"Monitor__Metrics__Port={ClusterEnv()["Monitor__Metrics__Port"]}", string.Join('\n', runtime), StringComparison.Ordinal);
    }

    [Fact]
    public void Kubernetes_manifests_are_well_formed_and_agree_with_each_other_and_the_shared_settings()
    {
        var documents = Directory.GetFiles(Path.Combine(Root, "deploy", "k8s"), "*.yaml")
            .Where(f => Path.GetFileName(f) != "kustomization.yaml")
            .SelectMany(f => LoadYaml(Path.GetRelativePath(Root, f)).Select(d => (File: Path.GetFileName(f), Doc: d)))
            .ToList();
        foreach (var (file, doc) in documents)
        {
            Assert.False(string.IsNullOrEmpty(Scalar(doc["apiVersion"])), file);
            Assert.False(string.IsNullOrEmpty(Scalar(Map(doc, "metadata")["name"])), file);
        }

        YamlMappingNode Kind(string kind) => documents.Single(d => Scalar(d.Doc["kind"]) == kind).Doc;

        // Every file is applied by the kustomization but the Secret's placeholders: applied, they would overwrite the
        // real Secret created from the vault, and every pod started after that would refuse to start.
        var kustomized = Seq(LoadYaml("deploy/k8s/kustomization.yaml").Single(), "resources").Select(Scalar).Order(StringComparer.Ordinal);
        Assert.Equal(documents.Select(d => d.File).Distinct().Where(f => f != "secret.yaml").Order(StringComparer.Ordinal), kustomized);
        Assert.Equal("secret.yaml", documents.Single(d => Scalar(d.Doc["kind"]) == "Secret").File);

        var config = Map(Kind("ConfigMap"), "data").Children.ToDictionary(p => Scalar(p.Key), p => Scalar(p.Value), StringComparer.Ordinal);
        foreach (var (key, value) in ClusterEnv())
        {
            Assert.True(config.TryGetValue(key, out var actual) && actual == value, $"the ConfigMap's {key} differs from deploy/cluster.env ({value})");
        }

        Assert.Equal("true", config["Monitor__Orleans__Kubernetes"]);
        var secret = Map(Kind("Secret"), "stringData").Children.ToDictionary(p => Scalar(p.Key), p => Scalar(p.Value), StringComparer.Ordinal);
        Assert.All(config.Keys.Concat(secret.Keys).Where(k => k.StartsWith("Monitor__", StringComparison.Ordinal)), AssertServerSetting);
        Assert.Contains("REPLACE_ME", secret["Monitor__Auth__SigningKey"], StringComparison.Ordinal);
        Assert.Contains("REPLACE_ME", secret["Monitor__Feeds__0__KeyHash"], StringComparison.Ordinal);
        Assert.Contains("REPLACE_ME", secret["Monitor__Redis"], StringComparison.Ordinal);

        var deployment = Kind("Deployment");
        var spec = Map(deployment, "spec");
        Assert.Equal("3", Scalar(spec["replicas"]));
        var selector = Labels(Map(Map(spec, "selector"), "matchLabels"));
        var template = Map(spec, "template");
        var labels = Labels(Map(Map(template, "metadata"), "labels"));
        Assert.NotEmpty(selector);
        Assert.All(selector, l => Assert.Equal(l.Value, labels.GetValueOrDefault(l.Key)));

        // The Orleans Kubernetes package reads the ids from these labels: the same as the ConfigMap's.
        Assert.Equal(config["Monitor__Orleans__ClusterId"], labels["orleans/clusterId"]);
        Assert.Equal(config["Monitor__Orleans__ServiceId"], labels["orleans/serviceId"]);

        var pod = Map(template, "spec");
        Assert.True(int.Parse(Scalar(pod["terminationGracePeriodSeconds"]), System.Globalization.CultureInfo.InvariantCulture)
            > double.Parse(config["Monitor__ShutdownTimeoutSeconds"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("true", Scalar(Map(pod, "securityContext")["runAsNonRoot"]));
        var container = (YamlMappingNode)Seq(pod, "containers").Single();
        var env = Seq(container, "env").Cast<YamlMappingNode>().ToDictionary(e => Scalar(e["name"]), e => e, StringComparer.Ordinal);
        foreach (var name in new[] { "POD_NAME", "POD_NAMESPACE", "POD_IP", "ORLEANS_CLUSTER_ID", "ORLEANS_SERVICE_ID" })
        {
            Assert.True(env.ContainsKey(name), $"{name} is not set");
        }

        Assert.Equal("metadata.labels['orleans/clusterId']", Scalar(Map(Map(env["ORLEANS_CLUSTER_ID"], "valueFrom"), "fieldRef")["fieldPath"]));
        var sources = Seq(container, "envFrom").Cast<YamlMappingNode>().ToList();
        Assert.Contains(sources, s => s.Children.ContainsKey("configMapRef") && Scalar(Map(s, "configMapRef")["name"]) == Scalar(Map(Kind("ConfigMap"), "metadata")["name"]));
        Assert.Contains(sources, s => s.Children.ContainsKey("secretRef") && Scalar(Map(s, "secretRef")["name"]) == Scalar(Map(Kind("Secret"), "metadata")["name"]));

        var ports = Seq(container, "ports").Cast<YamlMappingNode>().ToDictionary(p => Scalar(p["name"]), p => Scalar(p["containerPort"]), StringComparer.Ordinal);
        Assert.Equal(config["Monitor__Metrics__Port"], ports["metrics"]);
        Assert.Equal(config["Monitor__Orleans__SiloPort"], ports["silo"]);
        Assert.Equal(config["Monitor__Orleans__GatewayPort"], ports["gateway"]);
        Assert.Equal("http://+:" + ports["http"], config["ASPNETCORE_URLS"]);
        Assert.Equal("/readyz", Scalar(Map(Map(container, "readinessProbe"), "httpGet")["path"]));
        Assert.Equal("/healthz", Scalar(Map(Map(container, "livenessProbe"), "httpGet")["path"]));

        // The Service and the disruption budget select the Deployment's pods.
        var service = Map(Kind("Service"), "spec");
        Assert.All(Labels(Map(service, "selector")), l => Assert.Equal(l.Value, labels.GetValueOrDefault(l.Key)));
        Assert.Contains(Seq(service, "ports").Cast<YamlMappingNode>(), p => ports.ContainsKey(Scalar(p["targetPort"])));
        var budget = Map(Kind("PodDisruptionBudget"), "spec");
        Assert.Equal(selector, Labels(Map(Map(budget, "selector"), "matchLabels")));
        Assert.InRange(int.Parse(Scalar(budget["minAvailable"]), System.Globalization.CultureInfo.InvariantCulture), 1, 2);

        // The RBAC the Orleans Kubernetes package needs, bound to the pods' service account.
        var account = Scalar(pod["serviceAccountName"]);
        Assert.Equal(account, Scalar(Map(Kind("ServiceAccount"), "metadata")["name"]));
        var binding = Kind("RoleBinding");
        Assert.Contains(Seq(binding, "subjects").Cast<YamlMappingNode>(), s => Scalar(s["kind"]) == "ServiceAccount" && Scalar(s["name"]) == account);
        var role = Kind("Role");
        Assert.Equal(Scalar(Map(role, "metadata")["name"]), Scalar(Map(binding, "roleRef")["name"]));
        var rule = Seq(role, "rules").Cast<YamlMappingNode>().Single(r => Seq(r, "resources").Select(Scalar).Contains("pods"));
        // Watching pods and labelling its own; not deleting them (DeleteDefunctSiloPods stays off, as Orleans advises).
        var verbs = Seq(rule, "verbs").Select(Scalar).ToHashSet();
        Assert.Superset(new HashSet<string>(["get", "list", "watch", "patch"]), verbs);
        Assert.DoesNotContain("delete", verbs);
    }

    [Fact]
    public async Task The_kubernetes_switch_without_redis_refuses_to_start_and_says_why()
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "Monitor.Server.dll"), "--urls=http://127.0.0.1:0",
            $"--Monitor:Auth:SigningKey={Infrastructure.MonitorAppFactory.SigningKey}", "--Monitor:Orleans:Kubernetes=true",
        })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stderr = process.StandardError.ReadToEndAsync(deadline.Token);
        _ = process.StandardOutput.ReadToEndAsync(deadline.Token);
        await process.WaitForExitAsync(deadline.Token);

        Assert.Equal(1, process.ExitCode);
        Assert.Contains("Monitor:Orleans:Kubernetes needs Monitor:Redis", await stderr, StringComparison.Ordinal);
    }

    /// <summary>
    /// <c>Monitor__A__B__0__C</c> names a property path of <see cref="MonitorOptions"/> (case-insensitive, as
    /// configuration binding is; a number is a list index).
    /// </summary>
    private static void AssertServerSetting(string key)
    {
        var type = typeof(MonitorOptions);
        foreach (var part in key.Split("__").Skip(1))
        {
            if (int.TryParse(part, out _))
            {
                Assert.True(type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>), $"{key}: '{part}' indexes something that is not a list");
                type = type.GetGenericArguments()[0];
                continue;
            }

            var property = type.GetProperty(part, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            Assert.True(property is not null, $"{key}: the server has no setting '{part}' in {type.Name}");
            type = Nullable.GetUnderlyingType(property!.PropertyType) ?? property.PropertyType;
        }
    }

    private static Dictionary<string, string> ClusterEnv() =>
        Read("deploy", "cluster.env").Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);

    private static List<YamlMappingNode> LoadYaml(string path)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(Path.Combine(Root, path)));
        stream.Load(reader);
        return [.. stream.Documents.Select(d => (YamlMappingNode)d.RootNode)];
    }

    private static YamlMappingNode Map(YamlMappingNode node, string key) => (YamlMappingNode)node[key];

    private static IEnumerable<YamlNode> Seq(YamlMappingNode node, string key) => ((YamlSequenceNode)node[key]).Children;

    private static string Scalar(YamlNode node) => ((YamlScalarNode)node).Value ?? "";

    private static Dictionary<string, string> Labels(YamlMappingNode node) =>
        node.Children.ToDictionary(p => Scalar(p.Key), p => Scalar(p.Value), StringComparer.Ordinal);

    /// <summary>Enough of nginx's grammar to check structure: directives, arguments, blocks, quotes and comments.</summary>
    private sealed record Nginx(string Name, IReadOnlyList<string> Args, IReadOnlyList<Nginx>? Children)
    {
        public static List<Nginx> Parse(string text)
        {
            var tokens = Regex.Matches(Regex.Replace(text, "#[^\n]*", ""), @"'[^']*'|""[^""]*""|[{};]|[^\s{};]+")
                .Select(m => m.Value.Trim('\'', '"')).ToList();
            var position = 0;
            var directives = Block(tokens, ref position);
            Assert.Equal(tokens.Count, position);
            return directives;
        }

        private static List<Nginx> Block(List<string> tokens, ref int position)
        {
            var directives = new List<Nginx>();
            while (position < tokens.Count && tokens[position] != "}")
            {
                var words = new List<string>();
                while (position < tokens.Count && tokens[position] is not (";" or "{" or "}"))
                {
                    words.Add(tokens[position++]);
                }

                Assert.True(position < tokens.Count && words.Count > 0, "nginx.conf: a directive is not terminated");
                if (tokens[position] == ";")
                {
                    position++;
                    directives.Add(new Nginx(words[0], words[1..], null));
                }
                else
                {
                    Assert.Equal("{", tokens[position++]);
                    var children = Block(tokens, ref position);
                    Assert.True(position < tokens.Count, "nginx.conf: a block is not closed");
                    position++;
                    directives.Add(new Nginx(words[0], words[1..], children));
                }
            }

            return directives;
        }
    }
}

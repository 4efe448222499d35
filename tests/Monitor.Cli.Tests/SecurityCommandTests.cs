using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Monitor.Cli;
using Monitor.Cli.Commands;
using Monitor.Security;

namespace Monitor.Cli.Tests;

/// <summary><c>monitor keys new</c> and <c>monitor token</c>, run in-process; tokens checked with the server's own parameters.</summary>
public sealed class SecurityCommandTests
{
    private static readonly string SigningKey = Convert.ToBase64String([.. Enumerable.Range(0, 32).Select(i => (byte)(255 - i))]);

    private static (int Code, string Out, string Error) Run(TokenCommand? command, params string[] args)
    {
        using var input = new StringReader("");
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = command is null
            ? MonitorCli.Run(args, input, output, error)
            : command.Run(args, new CommandIo(input, output, error));
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Keys_new_prints_a_key_once_with_its_hash_and_the_configuration_to_store()
    {
        var (code, output, error) = Run(null, "keys", "new", "--force", "warwickshire", "--types", "call.offered,call.answered");

        Assert.Equal(0, code);
        Assert.Empty(error);
        var lines = output.Split('\n', StringSplitOptions.TrimEntries);
        var key = lines.Single(l => l.StartsWith("key:", StringComparison.Ordinal))["key:".Length..].Trim();
        var hash = lines.Single(l => l.StartsWith("hash:", StringComparison.Ordinal))["hash:".Length..].Trim();
        Assert.StartsWith(FeedKeys.Prefix, key, StringComparison.Ordinal);
        Assert.True(key.Length >= 40, key);
        Assert.Equal(FeedKeys.Hash(key), hash);
        Assert.Matches("^sha256:[0-9a-f]{64}$", hash);
        Assert.Contains($"Monitor__Feeds__0__KeyHash={hash}", output, StringComparison.Ordinal);
        Assert.Contains("Monitor__Feeds__0__Force=warwickshire", output, StringComparison.Ordinal);
        Assert.Contains("Monitor__Feeds__0__Types__1=call.answered", output, StringComparison.Ordinal);
        Assert.Contains("\"KeyHash\": \"" + hash + "\"", output, StringComparison.Ordinal);
        // Printed once: the key appears only on its own line.
        Assert.Equal(1, lines.Count(l => l.Contains(key, StringComparison.Ordinal)));
    }

    [Fact]
    public void Keys_new_json_is_for_scripts_and_every_key_is_new()
    {
        var first = JsonDocument.Parse(Run(null, "keys", "new", "--force", "warwickshire", "--json", "--id", "cad-feed").Out).RootElement;
        var second = JsonDocument.Parse(Run(null, "keys", "new", "--force", "warwickshire", "--json").Out).RootElement;

        Assert.Equal(FeedKeys.Hash(first.GetProperty("key").GetString()!), first.GetProperty("hash").GetString());
        Assert.Equal("cad-feed", first.GetProperty("feed").GetProperty("Id").GetString());
        Assert.Equal(0, first.GetProperty("feed").GetProperty("Types").GetArrayLength());
        Assert.NotEqual(first.GetProperty("key").GetString(), second.GetProperty("key").GetString());
    }

    [Theory]
    [InlineData("keys")]
    [InlineData("keys", "old")]
    [InlineData("keys", "new")]
    [InlineData("keys", "new", "--force", "Warwick Shire")]
    [InlineData("keys", "new", "--force", "warwickshire", "--types", "call.offered,crime.deleted")]
    [InlineData("keys", "new", "--force")]
    [InlineData("keys", "new", "--force", "warwickshire", "--types", "")]
    [InlineData("keys", "new", "--force", "warwickshire", "--types", " , ")]
    public void Keys_refuses_bad_usage_in_one_line(params string[] args)
    {
        var (code, output, error) = Run(null, args);

        Assert.Equal(MonitorCli.UsageError, code);
        Assert.Empty(output);
        Assert.StartsWith("monitor keys: ", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public void A_minted_token_validates_with_the_servers_parameters_and_carries_name_role_and_force()
    {
        var (code, output, error) = Run(null, "token", "--role", "supervisor", "--name", "Sgt Example", "--force", "warwickshire", "--minutes", "30", "--signing-key", SigningKey);

        Assert.Equal(0, code);
        Assert.Empty(error);
        var token = output.Trim();
        var result = Validate(token, SigningKey);
        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal("supervisor", result.ClaimsIdentity.FindFirst(MonitorClaims.Role)!.Value);
        Assert.True(result.ClaimsIdentity.HasClaim(result.ClaimsIdentity.RoleClaimType, "supervisor"));
        Assert.Equal("warwickshire", result.ClaimsIdentity.FindFirst(MonitorClaims.Force)!.Value);
        Assert.Equal("Sgt Example", result.ClaimsIdentity.Name);
        var jwt = new JsonWebToken(token);
        Assert.Equal(TimeSpan.FromMinutes(30), jwt.ValidTo - jwt.ValidFrom);
        Assert.Equal("HS256", jwt.Alg);
    }

    [Fact]
    public void The_key_comes_from_the_environment_when_not_given_and_another_key_does_not_validate()
    {
        var command = new TokenCommand(name => name == TokenCommand.SigningKeyVariable ? SigningKey : null, TimeProvider.System);
        var (code, output, _) = Run(command, "--role", "wallboard", "--name", "board-1", "--force", "warwickshire");

        Assert.Equal(0, code);
        Assert.True(Validate(output.Trim(), SigningKey).IsValid);
        Assert.False(Validate(output.Trim(), Convert.ToBase64String(new byte[32])).IsValid);
    }

    [Fact]
    public void A_token_minted_in_the_past_is_expired_for_the_server()
    {
        var past = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(-3));
        var (code, output, _) = Run(new TokenCommand(_ => null, past), "--role", "admin", "--name", "a", "--force", "warwickshire", "--minutes", "60", "--signing-key", SigningKey);

        Assert.Equal(0, code);
        var result = Validate(output.Trim(), SigningKey);
        Assert.False(result.IsValid);
        Assert.IsType<Microsoft.IdentityModel.Tokens.SecurityTokenExpiredException>(result.Exception);
    }

    [Theory]
    [InlineData("--role", "analyst", "--name", "a", "--force", "warwickshire")]
    [InlineData("--role", "admin", "--force", "warwickshire")]
    [InlineData("--role", "admin", "--name", "a")]
    [InlineData("--role", "admin", "--name", "a", "--force", "warwickshire", "--minutes", "0")]
    [InlineData("--role", "admin", "--name", "a", "--force", "warwickshire", "--minutes", "lots")]
    [InlineData("--role", "admin", "--name", "a", "--force", "warwickshire", "--signing-key", "c2hvcnQ=")]
    [InlineData("--role", "admin", "--name", "a", "--force", "warwickshire", "--signing-key", "not base64!")]
    [InlineData("--role", "admin", "--name", "a", "--force", "warwickshire")]
    [InlineData("--role")]
    public void Token_refuses_bad_usage_and_missing_keys_in_one_line(params string[] args)
    {
        var (code, output, error) = Run(new TokenCommand(_ => null, TimeProvider.System), args);

        Assert.Equal(MonitorCli.UsageError, code);
        Assert.Empty(output);
        Assert.StartsWith("monitor token: ", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public void Without_a_key_the_message_names_the_setting()
    {
        var (_, _, error) = Run(new TokenCommand(_ => null, TimeProvider.System), "--role", "admin", "--name", "a", "--force", "warwickshire");
        Assert.Contains("Monitor__Auth__SigningKey", error, StringComparison.Ordinal);
    }

    private static Microsoft.IdentityModel.Tokens.TokenValidationResult Validate(string token, string key) =>
        new JsonWebTokenHandler { MapInboundClaims = false }
            .ValidateTokenAsync(token, MonitorTokens.ValidationParameters(MonitorTokens.DecodeSigningKey(key))).GetAwaiter().GetResult();
}

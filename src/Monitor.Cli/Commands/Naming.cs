using System.Diagnostics.CodeAnalysis;

namespace Monitor.Cli.Commands;

/// <summary>Ids as force files spell them: lower case letters, digits and hyphens.</summary>
internal static class Naming
{
    public static bool IsName([NotNullWhen(true)] string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= 64 && value.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');
}

using Monitor.Domain.Forces;

namespace Monitor.Domain.Tests.Forces;

/// <summary>Loading every force file of a directory: one force per file, named after it.</summary>
public sealed class LoadDirectoryTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("monitor-forces-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void File_named_after_the_force_id_loads()
    {
        File.WriteAllText(Path.Combine(_directory, "test.json"), ForceJson.Text());

        var catalog = ForceConfigurationLoader.LoadDirectory(_directory);

        Assert.Equal(["test"], catalog.All.Select(f => f.Id));
    }

    [Fact]
    public void File_name_must_match_the_force_id()
    {
        var file = Path.Combine(_directory, "other.json");
        File.WriteAllText(file, ForceJson.Text());

        var error = Assert.Throws<ForceConfigurationException>(() => ForceConfigurationLoader.LoadDirectory(_directory));

        Assert.Equal($"{file}: $.id: 'test' must match the file name 'other.json'", error.Message);
    }

    [Fact]
    public void Problems_of_every_file_are_reported_together()
    {
        var first = Path.Combine(_directory, "a.json");
        var second = Path.Combine(_directory, "test.json");
        File.WriteAllText(first, ForceJson.Text(t => t["id"] = "a-force"));
        File.WriteAllText(second, ForceJson.Text(t => t["timeZone"] = ""));

        var error = Assert.Throws<ForceConfigurationException>(() => ForceConfigurationLoader.LoadDirectory(_directory));

        Assert.Equal(
            [
                $"{first}: $.id: 'a-force' must match the file name 'a.json'",
                $"{second}: $.timeZone: required, and must not be empty",
            ],
            error.Message.Split(Environment.NewLine));
    }

    [Fact]
    public void Files_other_than_json_are_ignored()
    {
        File.WriteAllText(Path.Combine(_directory, "test.json"), ForceJson.Text());
        File.WriteAllText(Path.Combine(_directory, "notes.txt"), "not a force");

        Assert.Single(ForceConfigurationLoader.LoadDirectory(_directory).All);
    }

    [Fact]
    public void Missing_directory_is_named()
    {
        var missing = Path.Combine(_directory, "absent");

        var error = Assert.Throws<ForceConfigurationException>(() => ForceConfigurationLoader.LoadDirectory(missing));

        Assert.Equal($"{missing}: the force configuration directory does not exist", error.Message);
    }

    [Fact]
    public void Directory_without_force_files_is_refused()
    {
        var error = Assert.Throws<ForceConfigurationException>(() => ForceConfigurationLoader.LoadDirectory(_directory));

        Assert.Equal($"{_directory}: no force configuration (*.json) found", error.Message);
    }
}

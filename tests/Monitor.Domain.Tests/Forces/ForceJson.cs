using System.Text.Json.Nodes;
using Monitor.Domain.Forces;

namespace Monitor.Domain.Tests.Forces;

/// <summary>A small valid force file, and the means to break one part of it at a time.</summary>
internal static class ForceJson
{
    public const string Source = "x.json";

    private const string Valid = """
        {
          "id": "test",
          "name": "Test Constabulary",
          "timeZone": "Europe/London",
          "areas": [
            { "id": "test", "name": "Test", "level": "force" },
            { "id": "east", "name": "East", "level": "policing-area", "parent": "test" },
            { "id": "west", "name": "West", "level": "policing-area", "parent": "test" },
            { "id": "harbour", "name": "Harbour", "level": "district", "parent": "east", "population": 50000 },
            { "id": "hills", "name": "Hills", "level": "district", "parent": "west", "population": 20000 }
          ],
          "response": {
            "emergency": { "clockStart": "grading", "targetMinutes": 20, "urbanTargetMinutes": 15 },
            "priority": { "clockStart": "call", "targetMinutes": 60 }
          },
          "measures": [
            {
              "id": "total-recorded-crime", "title": "Crimes", "unit": "crimes", "level": "all",
              "aggregation": "count", "feed": { "fact": "crime.recorded" }, "direction": "neutral"
            },
            {
              "id": "calls-999-abandoned", "title": "999 abandoned", "unit": "proportion", "level": "force",
              "aggregation": "proportion", "feed": { "fact": "call.abandoned", "channel": "999" },
              "denominator": { "fact": "call.offered", "channel": "999" }, "direction": "decrease", "target": 0.05
            },
            {
              "id": "calls-999-answer-time", "title": "999 answer time", "unit": "seconds", "level": "force",
              "aggregation": "mean", "feed": { "fact": "call.answered", "channel": "999" }, "direction": "decrease"
            }
          ]
        }
        """;

    /// <summary>The valid file as an editable tree.</summary>
    public static JsonObject Tree() => JsonNode.Parse(Valid)!.AsObject();

    public static string Text(Action<JsonObject>? edit = null)
    {
        var tree = Tree();
        edit?.Invoke(tree);
        return tree.ToJsonString();
    }

    public static JsonObject Area(JsonObject tree, int index) => tree["areas"]![index]!.AsObject();

    public static JsonObject Measure(JsonObject tree, int index) => tree["measures"]![index]!.AsObject();

    public static ForceDefinition Parse(Action<JsonObject>? edit = null) => ForceConfigurationLoader.Parse(Text(edit), Source);

    /// <summary>The lines of the error the loader throws for the edited file.</summary>
    public static string[] Problems(Action<JsonObject> edit) => ProblemsOf(Text(edit));

    public static string[] ProblemsOf(string json)
    {
        var error = Assert.Throws<ForceConfigurationException>(() => ForceConfigurationLoader.Parse(json, Source));
        return error.Message.Split(Environment.NewLine);
    }
}

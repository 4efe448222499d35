using System.Text.Json;
using FsCheck.Xunit;
using Monitor.Domain.Measures;

namespace Monitor.Domain.Tests.Measures;

/// <summary>A fact key held in parts means what its whole text means: the same equality, hash code and fingerprint.</summary>
public sealed class FactKeyTests
{
    // Any split of any text, short or past what is joined on the stack, against the text given whole.
    [Property(MaxTest = 300)]
    public bool A_key_in_parts_is_the_key_of_its_whole_text(string? head, string? id, string? tail, byte stretch)
    {
        (head, id, tail) = (head ?? string.Empty, (id ?? string.Empty) + new string('x', stretch * 2), tail ?? string.Empty);
        var parts = FactKey.Of(head, id, tail);
        var whole = new FactKey(head + id + tail);

        return parts.ToString() == head + id + tail
            && parts.Length == whole.Length
            && parts.Fingerprint == whole.Fingerprint
            && parts.Fingerprint == FactKey.Hash(head + id + tail)
            && parts.Equals(whole) && whole.Equals(parts) && parts == whole
            && parts.GetHashCode() == whole.GetHashCode()
            && FactKey.Of(id, head, tail).Equals(whole) == (id + head + tail == head + id + tail);
    }

    [Fact]
    public void Keys_of_different_texts_differ_whatever_their_parts()
    {
        Assert.NotEqual(FactKey.Of("call:999:", "C-1", ":offered"), FactKey.Of("call:999:", "C-1", ":answered"));
        Assert.NotEqual(FactKey.Of("call:999:", "C-1", ":offered"), new FactKey("call:999:C-1:offere"));
        Assert.NotEqual(FactKey.Of("call:999:", "C-1", ":offered").Fingerprint, FactKey.Of("call:101:", "C-1", ":offered").Fingerprint);
        Assert.Equal(FactKey.Of("call:999:", "C-1", ":offered"), FactKey.Of("call:", "999:C-1", ":offered"));
    }

    // The fingerprints already in journals and stores were taken of the keys' UTF-16 text: a change of the hash would
    // count every resent fact again, so the value itself is pinned.
    [Fact]
    public void A_fingerprint_is_the_one_stored_by_earlier_builds()
    {
        Assert.Equal(0x_A623_7E9B_7656_609AUL, FactKey.Of("call:999:", "C-1", ":offered").Fingerprint);
        Assert.Equal(0x_A623_7E9B_7656_609AUL, FactKey.Hash("call:999:C-1:offered"));
    }

    [Fact]
    public void A_retracted_key_is_the_key_with_retracted_after_it()
    {
        var retracted = FactKey.Of("incident:", "I-1", ":attended").Retracted();

        Assert.Equal("incident:I-1:attended:retracted", retracted.ToString());
        Assert.Equal(FactKey.Hash("incident:I-1:attended:retracted"), retracted.Fingerprint);
    }

    [Fact]
    public void A_fact_with_its_key_in_parts_equals_the_fact_with_it_whole_and_reads_back_from_json()
    {
        var at = new DateTimeOffset(2026, 3, 29, 9, 15, 0, TimeSpan.Zero);
        var parts = new Fact(FactKind.IncidentCreated, FactKey.Of("incident:", "I-1", ":created"), at, "rugby", Grade: "emergency");
        var whole = new Fact(FactKind.IncidentCreated, "incident:I-1:created", at, "rugby", Grade: "emergency");

        var json = JsonSerializer.Serialize(parts);
        var read = JsonSerializer.Deserialize<Fact>(json);

        Assert.Equal(whole, parts);
        Assert.Equal(whole.GetHashCode(), parts.GetHashCode());
        Assert.Contains("\"Key\":\"incident:I-1:created\"", json, StringComparison.Ordinal);
        Assert.Equal(whole, read);
        Assert.Equal("", default(FactKey).ToString());
    }
}

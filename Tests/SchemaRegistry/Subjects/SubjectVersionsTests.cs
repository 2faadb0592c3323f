using Tributary.Grains.KafkaFormats.SchemaRegistry;
using Tributary.Grains.SchemaRegistry;
using Tributary.Grains.SchemaRegistry.Subjects;

namespace Tributary.Tests.SchemaRegistry.Subjects;

/// <summary>The subject engine's decisions, as Confluent's registry makes them, without a silo.</summary>
public sealed class SubjectVersionsTests
{
    private sealed class Stored(int version, int id, string identity, bool deleted = false) : ISubjectVersion
    {
        public int Version { get; } = version;

        public int Id { get; } = id;

        public string Identity { get; } = identity;

        public bool Deleted { get; set; } = deleted;

        public List<int> ReferencedBy { get; } = [];
    }

    private static SubjectVersions<Stored> Subject(params Stored[] versions) => new("orders-value", versions);

    private static SubjectVersions<Stored> WithVersions(int count) =>
        Subject(Enumerable.Range(1, count).Select(n => new Stored(n, 100 + n, $"schema-{n}")).ToArray());

    [Fact]
    public void ANewSubject_NumbersItsFirstVersionOne_AndIsNotFound()
    {
        var subject = Subject();

        Assert.Equal(1, subject.NextVersion);
        Assert.Null(subject.Liveness);
        Assert.Equal(RegistryErrors.SubjectNotFound, subject.GetVersions(includeDeleted: false, deletedOnly: false).ErrorCode);
        Assert.Equal(RegistryErrors.SubjectNotFound, subject.Find("latest", includeDeleted: true).ErrorCode);
        Assert.Equal(RegistryErrors.SubjectNotFound, subject.Lookup("schema-1", includeDeleted: true).ErrorCode);
    }

    [Fact]
    public void RegisteringTheSameSchemaAgain_FindsTheLiveVersion_ButNotASoftDeletedOne()
    {
        var subject = WithVersions(3);

        Assert.Equal(102, subject.FindLive("schema-2")!.Id);
        Assert.True(subject.DeleteVersion("2", permanent: false).IsOk);
        Assert.Null(subject.FindLive("schema-2"));
        Assert.Equal(RegistryErrors.SchemaNotFound, subject.Lookup("schema-2", includeDeleted: false).ErrorCode);
        Assert.Equal(2, subject.Lookup("schema-2", includeDeleted: true).Value!.Version);
    }

    [Fact]
    public void NumberingGoesOnPastSoftDeletedVersions_AndFromTheHighestLeftAfterPermanentDeletes()
    {
        var subject = WithVersions(3);
        Assert.True(subject.DeleteVersion("3", permanent: false).IsOk);
        Assert.Equal(4, subject.NextVersion);

        Assert.True(subject.DeleteVersion("3", permanent: true).IsOk);
        Assert.Equal(3, subject.NextVersion);
        subject.Add(new Stored(3, 200, "schema-new"));
        Assert.Equal(200, subject.Find("latest", includeDeleted: false).Value!.Id);
    }

    [Fact]
    public void AddingANumberBelowTheNext_OrASchemaAlreadyLive_IsRefused()
    {
        var subject = WithVersions(2);

        Assert.Throws<ArgumentException>(() => subject.Add(new Stored(2, 1, "other")));
        Assert.Throws<ArgumentException>(() => subject.Add(new Stored(3, 1, "schema-1")));
    }

    [Fact]
    public void AnImportedNumberAboveTheNext_LeavesAGap_AndTheNextFollowsIt()
    {
        var subject = WithVersions(2);

        subject.Add(new Stored(40, 7, "imported"));

        Assert.Equal(41, subject.NextVersion);
        Assert.Equal(7, subject.Find("40", includeDeleted: false).Value!.Id);
        Assert.Equal(RegistryErrors.VersionNotFound, subject.Find("3", includeDeleted: false).ErrorCode);
        Assert.Equal([1, 2, 40], subject.GetVersions(includeDeleted: false, deletedOnly: false).Value);
    }

    [Theory]
    [InlineData(CompatibilityLevel.None, new int[0])]
    [InlineData(CompatibilityLevel.Backward, new[] { 4 })]
    [InlineData(CompatibilityLevel.Full, new[] { 4 })]
    [InlineData(CompatibilityLevel.ForwardTransitive, new[] { 1, 3, 4 })]
    public void ALevel_ChecksTheLatestLiveVersion_OrEveryLiveOneWhenTransitive(CompatibilityLevel level, int[] expected)
    {
        var subject = WithVersions(5);
        subject.DeleteVersion("2", permanent: false);
        subject.DeleteVersion("5", permanent: false);

        Assert.Equal(expected, subject.VersionsToCheck(level).Select(v => v.Version));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("-2")]
    [InlineData("2147483648")]
    public void AVersionSpecThatIsNotANumberFrom1_IsInvalid(string spec)
    {
        Assert.Equal(RegistryErrors.InvalidVersion, WithVersions(1).Find(spec, includeDeleted: true).ErrorCode);
    }

    [Fact]
    public void Latest_IsTheNewestLiveVersion_OrTheNewestOfAllWithDeletedOnes()
    {
        var subject = WithVersions(3);
        subject.DeleteVersion("3", permanent: false);

        Assert.Equal(2, subject.Find("latest", includeDeleted: false).Value!.Version);
        Assert.Equal(3, subject.Find("-1", includeDeleted: true).Value!.Version);
        Assert.Equal(RegistryErrors.VersionNotFound, subject.Find("3", includeDeleted: false).ErrorCode);
        Assert.Equal(RegistryErrors.VersionNotFound, subject.Find("9", includeDeleted: true).ErrorCode);
    }

    [Fact]
    public void APermanentDelete_NeedsASoftDeleteFirst_AndNoReferences()
    {
        var subject = WithVersions(2);
        Assert.Equal(RegistryErrors.VersionNotSoftDeleted, subject.DeleteVersion("1", permanent: true).ErrorCode);

        Assert.True(subject.AddReferencedBy(1, 300));
        Assert.False(subject.AddReferencedBy(1, 300));
        Assert.True(subject.DeleteVersion("1", permanent: false).IsOk);
        Assert.Equal(RegistryErrors.VersionSoftDeleted, subject.DeleteVersion("1", permanent: false).ErrorCode);
        Assert.Equal(RegistryErrors.ReferenceExists, subject.DeleteVersion("1", permanent: true).ErrorCode);
        Assert.Equal([1, 2], subject.GetVersions(includeDeleted: true, deletedOnly: false).Value!);
    }

    [Fact]
    public void DeletingTheSubject_SoftThenPermanently_LeavesNothing()
    {
        var subject = WithVersions(3);
        Assert.Equal(RegistryErrors.SubjectNotSoftDeleted, subject.DeleteAll(permanent: true).ErrorCode);

        Assert.Equal([1, 2, 3], subject.DeleteAll(permanent: false).Value!.Select(v => v.Version));
        Assert.False(subject.Liveness);
        Assert.Equal(RegistryErrors.SubjectSoftDeleted, subject.DeleteAll(permanent: false).ErrorCode);
        Assert.Equal(RegistryErrors.SubjectNotFound, subject.GetVersions(includeDeleted: false, deletedOnly: false).ErrorCode);
        Assert.Equal([1, 2, 3], subject.GetVersions(includeDeleted: false, deletedOnly: true).Value!);

        Assert.Equal([1, 2, 3], subject.DeleteAll(permanent: true).Value!.Select(v => v.Version));
        Assert.Null(subject.Liveness);
        Assert.Equal(1, subject.NextVersion);
    }

    [Fact]
    public void ACompatibilityCheckAgainstLatest_OfASubjectWithNoLiveVersion_ChecksAgainstNothing()
    {
        var subject = WithVersions(1);
        subject.DeleteVersion("1", permanent: false);

        Assert.Null(subject.CompatibilityTarget("latest").Value);
        Assert.Equal(RegistryErrors.SubjectNotFound, subject.CompatibilityTarget("1").ErrorCode);
    }

    [Fact]
    public void Settings_RefuseALevelThatIsNotConfluents_AndFallBackToTheRegistrys()
    {
        var settings = new SubjectSettings();
        Assert.Equal(CompatibilityLevel.Full, settings.EffectiveLevel("FULL"));

        Assert.False(settings.TrySetConfig("SIDEWAYS", null));
        Assert.False(settings.HasConfig);
        Assert.True(settings.TrySetConfig("forward_transitive", null));
        Assert.Equal("FORWARD_TRANSITIVE", settings.Compatibility);
        Assert.Equal(CompatibilityLevel.ForwardTransitive, settings.EffectiveLevel("FULL"));

        Assert.False(settings.IsReadOnly("READWRITE"));
        settings.SetMode("READONLY");
        Assert.True(settings.IsReadOnly("READWRITE"));
        settings.Clear();
        Assert.True(settings.IsReadOnly("READONLY_OVERRIDE"));
    }
}

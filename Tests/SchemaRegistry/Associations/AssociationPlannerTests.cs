using Tributary.Grains.SchemaRegistry.Associations;

namespace Tributary.Tests.SchemaRegistry.Associations;

/// <summary>
/// Confluent's rules for associations, decided before anything is written: a request's defaults and checks, and the
/// request judged against what is stored (equivalent retries skipped, conflicts, frozen associations, one lifecycle per
/// resource, STRONG subjects owned by one topic), with Confluent's codes and messages.
/// </summary>
public sealed class AssociationPlannerTests
{
    private static readonly SubjectFacts Live = new(HasLiveVersion: true, LatestVersion: 1, SchemaFound: false, Referenced: false, Import: false);
    private static readonly SubjectFacts Empty = new(HasLiveVersion: false, LatestVersion: null, SchemaFound: false, Referenced: false, Import: false);

    private static ResourceAsk Request(params AssociationAsk[] asks) => new("orders", "lkc-1", "orders-id", null, asks);

    private static Association Stored(string type, string subject, string lifecycle, string resourceId = "orders-id") =>
        new(subject, Guid.NewGuid().ToString(), "orders", "lkc-1", resourceId, "topic", type, lifecycle, lifecycle == Association.Strong, 1, 1);

    private static (AssociationPlan? Plan, AssociationRejection? Rejection) Plan(
        ResourceAsk request, bool create, IReadOnlyList<Association>? all = null, SubjectFacts? facts = null)
    {
        var (validated, invalid) = AssociationRequests.Validate(request, create, dryRun: false);
        if (invalid is not null)
        {
            return (null, invalid);
        }

        all ??= [];
        var stored = AssociationPlanner.Stored(validated!, all, create, dryRun: false);
        var byType = validated!.Associations.Select(a => a.AssociationType!).Distinct().ToDictionary(t => t, _ => facts ?? Live);
        return AssociationPlanner.Plan(validated, all, stored, byType, create);
    }

    [Fact]
    public void OnCreate_ASchemaMakesAFrozenStrongAssociation_OnTheTopicsOwnSubject_AndNoneAWeakOne()
    {
        var (plan, rejection) = Plan(Request(new AssociationAsk(null, null, null, null, HasSchema: true)), create: true, facts: Empty);
        Assert.Null(rejection);
        var written = Assert.Single(plan!.ToWrite);
        Assert.Equal((":.lkc-1:orders-value", "value", "STRONG", true), (written.Subject, written.AssociationType, written.Lifecycle, written.Frozen));
        Assert.Single(plan.ToRegister);

        var weak = Plan(Request(new AssociationAsk("shared", "key", null, null, HasSchema: false)), create: true).Plan!.ToWrite.Single();
        Assert.Equal(("shared", "WEAK", false), (weak.Subject, weak.Lifecycle, weak.Frozen));
    }

    [Theory]
    [InlineData(null, "WEAK", null, true, "'lifecycle', detail: cannot be WEAK when schema is provided")]
    [InlineData(null, null, false, true, "'frozen', detail: cannot be false when a schema is provided")]
    [InlineData(null, "WEAK", null, false, "'subject', detail: must be provided for WEAK associations")]
    [InlineData(":.lkc-1:orders-value", "WEAK", null, false, "'subject', detail: WEAK associations cannot use subject ':.lkc-1:orders-value'")]
    [InlineData("custom", null, null, true, "'subject', detail: frozen associations must use subject ':.lkc-1:orders-value'")]
    [InlineData("custom", "STRONG", false, false, "'frozen', detail: association with lifecycle of STRONG cannot be frozen=false")]
    public void ARequestBreakingConfluentsDefaults_IsAnIllegalProperty(string? subject, string? lifecycle, bool? frozen, bool schema, string message)
    {
        var rejection = Plan(Request(new AssociationAsk(subject, null, lifecycle, frozen, schema)), create: true).Rejection!;
        Assert.Equal(42212, rejection.Code);
        Assert.Equal("The association specified an invalid value for property: " + message, rejection.Message);
    }

    [Fact]
    public void NamesAndTypes_AreChecked_AsConfluentChecksThem()
    {
        Assert.Contains("'resourceName', detail: illegal character '.'", Plan(new ResourceAsk("a.b", "lkc-1", "id", null, [new AssociationAsk("s", null, null, null, false)]), true).Rejection!.Message, StringComparison.Ordinal);
        Assert.Contains("'resourceId', detail: cannot be null or empty", Plan(new ResourceAsk("a", "lkc-1", null, null, [new AssociationAsk("s", null, null, null, false)]), true).Rejection!.Message, StringComparison.Ordinal);
        Assert.Contains("'resourceType', detail: must be 'topic'", Plan(new ResourceAsk("a", "lkc-1", "id", "table", [new AssociationAsk("s", null, null, null, false)]), true).Rejection!.Message, StringComparison.Ordinal);
        Assert.Contains("'associationType', detail: must be either 'key' or 'value'", Plan(Request(new AssociationAsk("s", "header", null, null, false)), true).Rejection!.Message, StringComparison.Ordinal);
        Assert.Contains("but 'key' appears more than once", Plan(Request(new AssociationAsk("s", "key", null, null, false), new AssociationAsk("t", "key", null, null, false)), true).Rejection!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AgainstWhatIsStored_AnEquivalentItemIsSkipped_AndAnyOtherConflicts()
    {
        var stored = new[] { Stored("value", "shared", Association.Weak) };
        var retry = Plan(Request(new AssociationAsk("shared", "value", "WEAK", null, false)), create: true, stored).Plan!;
        Assert.Empty(retry.ToWrite);

        var other = Plan(Request(new AssociationAsk("other", "value", "WEAK", null, false)), create: true, stored).Rejection!;
        Assert.Equal((40903, "An association of type 'value' already exists for resource 'orders'"), (other.Code, other.Message));

        var changed = Plan(Request(new AssociationAsk("other", "value", "WEAK", null, false)), create: false, stored).Rejection!;
        Assert.Equal("The association specified an invalid value for property: 'subject', detail: subject of association cannot be changed from 'shared' to 'other'", changed.Message);
    }

    [Fact]
    public void AnUpsert_AddsOnlyWeakAssociations_AndRegistersANewVersionOnATopicsOwnSubject()
    {
        var strong = Plan(Request(new AssociationAsk(null, "key", "STRONG", null, false)), create: false).Rejection!;
        Assert.Contains("cannot be STRONG when creating an association", strong.Message, StringComparison.Ordinal);
        Assert.Contains("cannot be provided when adding an association to an existing topic", Plan(Request(new AssociationAsk(null, "key", null, null, true)), create: false).Rejection!.Message, StringComparison.Ordinal);

        var owned = new[] { Stored("value", ":.lkc-1:orders-value", Association.Strong) };
        var evolve = Plan(Request(new AssociationAsk(null, "value", null, null, true)), create: false, owned).Plan!;
        Assert.Empty(evolve.ToWrite);
        Assert.Equal(":.lkc-1:orders-value", Assert.Single(evolve.ToRegister).Subject);
    }

    [Fact]
    public void AResourceKeepsOneLifecycle_AndAStrongSubjectBelongsToOneTopic()
    {
        var stored = new[] { Stored("value", "shared", Association.Weak) };
        var mixed = Plan(Request(new AssociationAsk(null, "key", null, null, true)), create: true, stored, Empty).Rejection!;
        Assert.EndsWith("all associations for a resource must have the same lifecycle, but got value=WEAK, key=STRONG", mixed.Message, StringComparison.Ordinal);

        var elsewhere = new[] { Stored("value", ":.lkc-1:orders-value", Association.Strong, resourceId: "old-orders-id") };
        var weakOnOwned = Plan(new ResourceAsk("borrower", "lkc-1", "b-id", null, [new AssociationAsk(":.lkc-1:orders-value", "value", "WEAK", null, false)]), true, elsewhere).Rejection!;
        Assert.Equal((40905, "A strong association already exists for subject ':.lkc-1:orders-value'"), (weakOnOwned.Code, weakOnOwned.Message));

        var sharedThenStrong = new[] { Stored("value", ":.lkc-1:orders-value", Association.Weak, resourceId: "other-id") with { ResourceName = "other" } };
        Assert.Equal(40904, Plan(Request(new AssociationAsk(null, "value", null, null, true)), true, sharedThenStrong, Empty).Rejection!.Code);
        Assert.Equal(42206, Plan(Request(new AssociationAsk(null, "value", null, null, true)), true, [], Empty with { Referenced = true }).Rejection!.Code);
        Assert.Equal(40907, Plan(Request(new AssociationAsk("shared", "value", null, null, false)), true, [], Empty).Rejection!.Code);
    }

    [Fact]
    public void Lookups_FilterSortAndPage_WithWildcards()
    {
        Association[] all =
        [
            Stored("value", "b", Association.Weak) with { ResourceName = "t2", ResourceNamespace = "c2" },
            Stored("key", "a", Association.Weak) with { ResourceName = "t1", ResourceNamespace = "c1" },
            Stored("value", "a", Association.Weak) with { ResourceName = "t1", ResourceNamespace = "c1" },
        ];
        Assert.Equal(["key", "value"], AssociationQueries.Find(all, new AssociationFilter(ResourceName: "t1", ResourceNamespace: "-")).Select(a => a.AssociationType));
        Assert.Equal(["t1", "t1", "t2"], AssociationQueries.Find(all, new AssociationFilter(ResourceName: "-", ResourceNamespace: "-")).Select(a => a.ResourceName));
        Assert.Equal(["t2"], AssociationQueries.Find(all, new AssociationFilter(ResourceName: "-", ResourceNamespace: "c2")).Select(a => a.ResourceName));
        Assert.Equal(["value"], AssociationQueries.Find(all, new AssociationFilter(Subject: "a", AssociationTypes: ["value"])).Select(a => a.AssociationType));
        Assert.Equal(["t2"], AssociationQueries.Find(all, new AssociationFilter(ResourceName: "-", ResourceNamespace: "-"), offset: 2, limit: 5).Select(a => a.ResourceName));
    }
}

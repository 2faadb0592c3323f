namespace Tributary.Silo.Kubernetes;

/// <summary>
/// How a silo running as a pod of a StatefulSet learns that Kubernetes is removing it for good (a scale-down) rather
/// than restarting it, so that it retires its broker first (<see cref="PreStopEndpoint"/>). The pod's ordinal is its
/// broker id, as the manifests set it (<c>Tributary__BrokerId</c> from the pod-index label).
/// </summary>
public sealed class KubernetesOptions
{
    public const string Section = "Tributary:Kubernetes";

    /// <summary>Whether <c>/lifecycle/pre-stop</c> retires the broker when its pod is being scaled away. Default false.</summary>
    public bool DrainOnScaleDown { get; set; }

    /// <summary>The API server's base URL. Empty: <c>https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT</c>, as inside a pod.</summary>
    public string? ApiServer { get; set; }

    /// <summary>Where the pod's service account token, CA certificate and namespace are mounted.</summary>
    public string ServiceAccountDirectory { get; set; } = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>The StatefulSet's namespace. Empty: the service account's <c>namespace</c> file.</summary>
    public string? Namespace { get; set; }

    /// <summary>The StatefulSet's name. Empty: the pod's name (<c>POD_NAME</c>, else <c>HOSTNAME</c>) without its ordinal.</summary>
    public string? StatefulSet { get; set; }

    /// <summary>How many seconds a retiring broker waits for its replicas to move away before it lets the pod stop anyway. Default 1800.</summary>
    public int DrainTimeoutSeconds { get; set; } = 1800;
}

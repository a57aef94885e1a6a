"""deploy/: the container, Kubernetes and proxy files, checked without a Docker daemon or a cluster."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from deploy import cluster

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
HEADERS = ("Content-Security-Policy", "Referrer-Policy", "X-Content-Type-Options")


def manifest(name: str) -> dict:
    return yaml.safe_load((K8S / name).read_text(encoding="utf-8"))


def dockerfile() -> list[str]:
    """Instructions with continuation lines joined and comments dropped."""
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    text = re.sub(r"\\\n\s*", " ", "\n".join(s for s in text.splitlines() if not s.lstrip().startswith("#")))
    return [line.strip() for line in text.splitlines() if line.strip()]


def test_dockerfile_is_slim_non_root_offline_and_health_checked():
    lines = dockerfile()
    stages = [line for line in lines if line.startswith("FROM ")]
    assert stages and all(s.split()[1].startswith("python:3.11-slim") for s in stages)
    runtime = lines[lines.index(stages[-1]) :]
    # the map assets are fetched by the project's own command at build time ...
    assert "RUN python -m components.assets" in lines[: lines.index(stages[-1])]
    # ... and the runtime stage has no npm, runs as a user, checks health and serves on all interfaces
    assert not any("npm" in line for line in runtime if line.startswith("RUN"))
    user = [line for line in runtime if line.startswith("USER ")]
    assert user and user[-1].split()[1] not in ("root", "0")
    health = next(line for line in runtime if line.startswith("HEALTHCHECK"))
    assert "/_stcore/health" in health and ":8501" in health
    cmd = next(line for line in runtime if line.startswith("CMD"))
    for part in ("app.py", "--server.address=0.0.0.0", "--server.port=8501", "--server.headless=true"):
        assert part in cmd
    assert "EXPOSE 8501" in runtime


def test_dockerignore_keeps_secrets_and_local_state_out():
    lines = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    ignored = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    for entry in (".git", ".venv", "static/vendor", ".cluster", ".streamlit/secrets.toml"):
        assert entry in ignored
    assert "data" not in ignored and "static" not in ignored  # the app needs both


def test_deployment_probes_resources_and_shared_cookie_secret():
    d = manifest("deployment.yaml")
    assert d["kind"] == "Deployment"
    spec = d["spec"]["template"]["spec"]
    assert spec["securityContext"]["runAsNonRoot"] is True
    (container,) = spec["containers"]
    assert container["ports"][0]["containerPort"] == 8501
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        assert container[probe]["httpGet"]["path"] == "/_stcore/health"
        assert container[probe]["httpGet"]["port"] in ("http", 8501)
    # liveness is more patient than readiness: a busy pod stops taking visitors before it is killed
    live, ready = container["livenessProbe"], container["readinessProbe"]
    assert live["periodSeconds"] * live["failureThreshold"] > ready["periodSeconds"] * ready["failureThreshold"]
    resources = container["resources"]
    for kind in ("requests", "limits"):
        assert {"cpu", "memory"} <= set(resources[kind])
    env = {e["name"]: e for e in container["env"]}
    assert "secretKeyRef" in env["STREAMLIT_SERVER_COOKIE_SECRET"]["valueFrom"]
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    assert d["spec"]["selector"]["matchLabels"] == d["spec"]["template"]["metadata"]["labels"]


def test_service_selects_the_deployment_pods():
    service, deployment = manifest("service.yaml"), manifest("deployment.yaml")
    assert service["spec"]["selector"] == deployment["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["ports"][0]["targetPort"] == "http"


def test_ingress_has_cookie_affinity_websocket_timeouts_headers_and_hides_metrics():
    ingress = manifest("ingress.yaml")
    notes = ingress["metadata"]["annotations"]
    prefix = "nginx.ingress.kubernetes.io/"
    assert notes[prefix + "affinity"] == "cookie"
    assert notes[prefix + "session-cookie-name"]
    assert notes[prefix + "session-cookie-change-on-failure"] == "true"
    for timeout in ("proxy-read-timeout", "proxy-send-timeout"):
        assert int(notes[prefix + timeout]) >= 3600
    snippet = notes[prefix + "configuration-snippet"]
    for header in HEADERS:
        assert f'"{header}: ' in snippet
    assert "/_stcore/metrics { return 404; }" in notes[prefix + "server-snippet"]
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == manifest("service.yaml")["metadata"]["name"]


def test_hpa_scales_the_deployment_on_cpu():
    hpa = manifest("hpa.yaml")
    assert hpa["apiVersion"] == "autoscaling/v2"
    assert hpa["spec"]["scaleTargetRef"]["name"] == manifest("deployment.yaml")["metadata"]["name"]
    assert 2 <= hpa["spec"]["minReplicas"] < hpa["spec"]["maxReplicas"]
    (metric,) = hpa["spec"]["metrics"]
    assert metric["resource"]["name"] == "cpu"
    assert hpa["spec"]["behavior"]["scaleDown"]["stabilizationWindowSeconds"] >= 300


def test_kustomization_lists_every_manifest_but_the_example_secret():
    listed = set(manifest("kustomization.yaml")["resources"])
    assert listed == {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml", "secret.example.yaml"}


def _csp(text: str) -> str:
    return re.search(r"Content-Security-Policy:? \"?(default-src[^\"]+)\"", text).group(1)


def test_every_proxy_sends_the_same_security_headers():
    haproxy = cluster.TEMPLATE.read_text(encoding="utf-8")
    nginx = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    ingress = manifest("ingress.yaml")["metadata"]["annotations"]["nginx.ingress.kubernetes.io/configuration-snippet"]
    policies = {_csp(haproxy), _csp(nginx), _csp(ingress)}
    assert len(policies) == 1
    (policy,) = policies
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["frame-ancestors"] == "'self'"
    assert directives["object-src"] == "'none'"
    # images only from the app and the basemap servers: a Markdown image cannot call elsewhere
    assert "https:" not in directives["img-src"].split() and "*" not in directives["img-src"].split()
    assert directives["connect-src"] == "'self'"
    for header in HEADERS[1:]:
        assert f"set-header {header} " in haproxy
        assert f"add_header {header} " in nginx
    assert "location ^~ /_stcore/metrics" in nginx
    assert re.search(r"location ~ \^/app/static/.*\\\.", nginx)


def test_rendered_haproxy_config_has_stickiness_redispatch_and_checks():
    text = cluster.render_config({"r1": 9001, "r2": 9002}, "127.0.0.1:9000")
    assert "bind 127.0.0.1:9000" in text
    assert "server r1 127.0.0.1:9001 check cookie r1" in text
    assert "server r2 127.0.0.1:9002 check cookie r2" in text
    assert re.search(r"^\s*cookie ATLAS_REPLICA insert indirect nocache", text, re.M)
    assert re.search(r"^\s*option redispatch", text, re.M)
    assert "option httpchk GET /_stcore/health" in text
    assert re.search(r"^\s*timeout tunnel 1h", text, re.M)  # websockets stay open
    assert "/_stcore/metrics" in text
    assert "$" not in text.replace("path_reg", "")  # every template field filled


@pytest.mark.skipif(not Path(cluster.HAPROXY).exists() and not shutil.which("haproxy"), reason="haproxy missing")
def test_rendered_haproxy_config_is_valid_for_haproxy(tmp_path):
    config = tmp_path / "haproxy.cfg"
    config.write_text(cluster.render_config({"r1": 9001, "r2": 9002, "r3": 9003}, "127.0.0.1:9000"))
    result = subprocess.run([cluster.HAPROXY, "-c", "-f", str(config)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stdout + result.stderr


def test_cluster_cli_refuses_a_silly_replica_count(capsys):
    with pytest.raises(SystemExit) as exc:
        cluster.main(["start", "--replicas", "0"])
    assert exc.value.code == 2


def test_readme_deploy_section_covers_every_route_and_the_files_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Deploy\n", 1)[1].split("\n## ", 1)[0]
    for heading in ("### Streamlit Community Cloud", "### A container host", "### Kubernetes", "make cluster"):
        assert heading in section
    for path in re.findall(r"\]\((deploy/[^)]*)\)", section):
        assert (ROOT / path).exists(), path
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("cluster", "cluster-stop", "haproxy"):
        assert re.search(rf"^{target}:", makefile, re.M), target
    # a clean clone gets HAProxy from `make test`, as it gets Chromium
    assert re.search(r"^test: .*\bhaproxy\b", makefile, re.M)

# JupyterHub config for the hub health check's end-to-end test. It loads the hub values hubfleet
# rendered the way z2jh's jupyterhub_config.py does (c.JupyterHub.services and load_roles start
# empty, hub.config sections go into c, then every hub.extraConfig snippet is exec()ed in key
# order), then adds only what running on 127.0.0.1 needs: a local process spawner instead of
# KubeSpawner, the single-user command under test, and local ports and files.
import json
import os

c = get_config()  # noqa: F821 (defined by traitlets when it runs this file)

test_dir = os.environ["HUBFLEET_TEST_DIR"]
with open(os.environ["HUBFLEET_TEST_HUB_VALUES"]) as f:
    hub = json.load(f)

c.JupyterHub.services = []
c.JupyterHub.load_roles = []
for section, cfg in hub["config"].items():
    c[section].update(cfg)
for key, config_py in sorted(hub["extraConfig"].items()):
    print(f"Loading extra config: {key}")
    exec(config_py)

c.JupyterHub.bind_url = f"http://127.0.0.1:{os.environ['HUBFLEET_TEST_PROXY_PORT']}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ["HUBFLEET_TEST_HUB_PORT"])
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ['HUBFLEET_TEST_PROXY_API_PORT']}"
c.ConfigurableHTTPProxy.pid_file = os.path.join(test_dir, "proxy.pid")
c.JupyterHub.db_url = "sqlite:///" + os.path.join(test_dir, "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = os.path.join(test_dir, "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = os.path.join(test_dir, "jupyterhub.pid")
# z2jh's own setting: the progress page is used at once, as the check reads it.
c.JupyterHub.tornado_settings = {"slow_spawn_timeout": 0}

# The user's server: a local process (KubeSpawner's pod, here) in a home directory under the test
# directory. What it runs is read at each spawn from singleuser.json, which the test rewrites to
# play a sound server, a broken command, a server that never answers, or a kernel that dies.
c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
c.SimpleLocalProcessSpawner.home_dir_template = os.path.join(test_dir, "home", "{username}")
c.Spawner.start_timeout = int(os.environ["HUBFLEET_TEST_START_TIMEOUT"])
c.Spawner.http_timeout = int(os.environ["HUBFLEET_TEST_START_TIMEOUT"])


def _singleuser_from_file(spawner):
    with open(os.path.join(test_dir, "singleuser.json")) as f:
        spec = json.load(f)
    spawner.cmd = spec["cmd"]
    spawner.environment = spec.get("env", {})
    # jupyter-server refuses to run as root without this (the test may run as root; a pod does not).
    spawner.args = ["--allow-root"] if os.getuid() == 0 else []


c.Spawner.pre_spawn_hook = _singleuser_from_file

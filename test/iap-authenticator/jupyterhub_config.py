# JupyterHub config for the IAP authenticator test. It loads the hub values hubfleet rendered the
# way z2jh's jupyterhub_config.py does (hub.config sections into c, then every hub.extraConfig
# snippet exec()ed in key order), then adds only what running on 127.0.0.1 needs.
import json
import os

c = get_config()  # noqa: F821 (defined by traitlets when it runs this file)

test_dir = os.environ["HUBFLEET_TEST_DIR"]
with open(os.environ["HUBFLEET_TEST_HUB_VALUES"]) as f:
    hub = json.load(f)

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
# A service token lets the test list the users the hub has, i.e. who actually logged in.
c.JupyterHub.services = [{"name": "test", "api_token": os.environ["HUBFLEET_TEST_API_TOKEN"]}]
c.JupyterHub.load_roles = [{"name": "test-reader", "scopes": ["list:users", "read:users"], "services": ["test"]}]

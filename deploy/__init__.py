"""Deployment: container, Kubernetes and load-balancer configuration, and the local cluster."""

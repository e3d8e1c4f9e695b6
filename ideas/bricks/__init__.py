"""Practices as bricks: a team publishes an adopted idea to the commons hub, or adopts one."""

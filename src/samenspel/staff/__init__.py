"""Staff: agents, supervisors and admins; their logins, sessions and roles."""

"""Server-drawn SVG charts shared by the team apps and the commons hub; imports no app."""

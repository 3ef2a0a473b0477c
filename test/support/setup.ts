// Shared by every test file: nothing here may reach beyond loopback.
process.env.FARMWATCH_TEST = "1";

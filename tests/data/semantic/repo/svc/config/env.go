package config

import (
	"os"
	"strconv"
)

// Settings of a service, from its process environment.
type Settings struct {
	Port     int
	LogLevel string
}

func getenv(key, fallback string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return fallback
}

// Load reads SHOP_PORT and SHOP_LOG_LEVEL, with defaults when they are unset.
func Load() Settings {
	port, err := strconv.Atoi(getenv("SHOP_PORT", "8080"))
	if err != nil {
		port = 8080
	}
	return Settings{Port: port, LogLevel: getenv("SHOP_LOG_LEVEL", "info")}
}

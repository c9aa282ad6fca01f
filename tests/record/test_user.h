// A throwaway login user on this machine for the sudo and password tests:
// created with useradd (we are root in CI), with a password and a sudoers
// drop-in (NOPASSWD or password-requiring), removed again afterwards.
// Names carry the creating process's pid (irqlens-t<pid>-<n>): users left by
// a test process that died are removed by the next one, nobody else's.
#pragma once

#include <string>

namespace irqlens::test {

class TestUser {
public:
    enum class Sudo { None, NoPassword, Password };
    // Empty error() on success.
    TestUser(Sudo sudo, const std::string& password);
    ~TestUser();
    TestUser(const TestUser&) = delete;
    TestUser& operator=(const TestUser&) = delete;

    const std::string& error() const { return error_; }
    const std::string& name() const { return name_; }
    const std::string& password() const { return password_; }

private:
    std::string name_, password_, sudoers_, error_;
};

// Why these tests cannot run here ("" when they can): root, useradd, sudo.
std::string testUserUnavailableReason();

} // namespace irqlens::test
